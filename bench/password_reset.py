"""Does the password-reset form answer a known address as fast as an unknown one?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_outbox \\
        .venv/bin/python bench/password_reset.py [--requests 100]

On a benchmark database with the demo (e.g. the one `bench/outbox_delivery.py` made), with debug
off, it POSTs the form in-process (Django's test client: middleware, form, view) alternately for a
demo customer's address and for an unknown one, after 10 of each to warm up, and prints the time
per request of each. The outbox rows it records are removed at the end; nothing is sent.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.update({"DJANGO_DEBUG": "0", "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "0"})
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    from notifications.models import OutboxMail

    client = Client()

    def timed(address: str) -> float:
        started = time.perf_counter()
        response = client.post("/account/password/reset/", {"email": address})
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        return elapsed

    known_address, unknown_address = "customer@demo.example", "nobody@example.com"
    for _ in range(10):
        timed(known_address), timed(unknown_address)
    known, unknown = [], []
    for _ in range(args.requests):
        known.append(timed(known_address))
        unknown.append(timed(unknown_address))

    def summary(values: list[float]) -> str:
        ordered = sorted(values)
        decile = len(ordered) // 10
        return (f"median {statistics.median(ordered) * 1000:.2f} ms, p10 {ordered[decile] * 1000:.2f} ms, "
                f"p90 {ordered[-decile - 1] * 1000:.2f} ms")

    print(f"known address:   {summary(known)}")
    print(f"unknown address: {summary(unknown)}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    OutboxMail.objects.filter(kind="password_reset", key__startswith="password-reset:").delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
