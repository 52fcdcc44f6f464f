"""Benchmark of the knowledge base: server time of the filing form's suggestions and of the
search page with 10,000 articles (German and English), on PostgreSQL.

Run against a database of its own (never the test databases), with the demo people:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your benchmark database>
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --without-history
    .venv/bin/python bench/knowledge_search.py --articles 10000 --runs 50

Missing articles are added in bulk (published, for all customers, with a few words from a
support vocabulary per text; no revisions: this is load, not content). Each request goes through
Django's test client in-process (middleware, session, view, queries, template), signed in as the
demo customer; after warm-up runs, `--runs` timed requests per case with varying words. The table
shows median, p95 and max server time:

- suggestions while filing (`knowledge:suggest`, any word, best five, recorded as shown);
- the search page (`knowledge:index?q=`, every word, best twenty with snippets).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from knowledge.models import Article  # noqa: E402
from knowledge.search import search_document_update  # noqa: E402

WORDS_DE = [
    "Kasse", "Drucker", "Bondrucker", "Update", "Anmeldung", "Zählerstand", "App", "Server", "Datenbank",
    "Lizenz", "Benutzer", "Passwort", "Tagesabschluss", "Rechnung", "Export", "Import", "Schnittstelle",
    "Scanner", "Waage", "Netzwerk", "Fehler", "Warteschlange", "Druckauftrag", "Konfiguration", "Sicherung",
    "Wiederherstellung", "Zertifikat", "Fernwartung", "Protokoll", "Filiale", "startet", "nicht", "hängt",
    "langsam", "abgebrochen", "meldet", "fehlt", "doppelt", "falsch", "neu", "einrichten"
]
WORDS_EN = [
    "register", "printer", "receipt", "update", "sign-in", "meter", "reading", "app", "server", "database",
    "licence", "user", "password", "closing", "invoice", "export", "import", "interface", "scanner", "scale",
    "network", "error", "queue", "print", "job", "configuration", "backup", "restore", "certificate", "remote",
    "maintenance", "log", "branch", "does", "not", "start", "hangs", "slow", "aborted", "reports", "missing",
    "duplicate", "wrong", "set", "up"
]
QUERIES_DE = ["Kasse startet nicht", "Bondrucker druckt nicht", "Zählerstand App Fehler", "Passwort vergessen",
              "Tagesabschluss abgebrochen", "Druckauftrag hängt in der Warteschlange", "Lizenz abgelaufen"]
QUERIES_EN = ["register does not start", "receipt printer error", "meter reading app", "forgot password",
              "print job hangs in the queue", "licence expired", "backup restore"]


def _text(rng: random.Random, words, n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def fill(count: int, seed: int) -> int:
    have = Article.objects.count()
    if have >= count:
        return 0
    rng = random.Random(seed)
    author = User.objects.get(username="agent")
    now = timezone.now()
    rows = []
    for n in range(have, count):
        german_only, english_only = n % 7 == 0, n % 11 == 0
        rows.append(Article(
            slug=f"bench-{n}-{uuid.uuid4().hex[:6]}", kind=rng.choice(["howto", "faq", "known_problem", "training"]),
            status="published", visibility="customers",
            title_de="" if english_only else _text(rng, WORDS_DE, 6),
            body_de="" if english_only else "\n\n".join(_text(rng, WORDS_DE, 40) for _ in range(4)),
            title_en="" if german_only else _text(rng, WORDS_EN, 6),
            body_en="" if german_only else "\n\n".join(_text(rng, WORDS_EN, 40) for _ in range(4)),
            created_by=author, updated_by=author, published_by=author, created_at=now, updated_at=now,
            published_at=now,
        ))
    Article.objects.bulk_create(rows, batch_size=1000)
    missing = Article.objects.filter(search_document__isnull=True).values_list("pk", flat=True)
    search_document_update(article_ids=missing)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_article")
    return len(rows)


def measure(client: Client, urls: list[str], runs: int, warmup: int) -> dict:
    for url in urls[:warmup]:
        assert client.get(url).status_code == 200, url
    times = []
    for i in range(runs):
        url = urls[i % len(urls)]
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return {"median": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95) - 1)],
            "max": times[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("run it on PostgreSQL (DATABASE_URL): SQLite has no full-text search")
    added = fill(args.articles, args.seed)
    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="customer"))
    suggest = [reverse("knowledge:suggest") + "?" + urlencode({"subject": q, "description": "",
                                                               "idempotency_key": uuid.uuid4().hex})
               for q in QUERIES_DE + QUERIES_EN]
    search = [reverse("knowledge:index") + "?" + urlencode({"q": q}) for q in QUERIES_DE + QUERIES_EN]
    print(f"articles: {Article.objects.count()} (added {added}); runs: {args.runs}")
    print(f"{'case':<28}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, urls in (("suggestions while filing", suggest), ("search page", search)):
        result = measure(client, urls, args.runs, args.warmup)
        print(f"{name:<28}{result['median']:>10.1f}{result['p95']:>10.1f}{result['max']:>10.1f}")


if __name__ == "__main__":
    main()
