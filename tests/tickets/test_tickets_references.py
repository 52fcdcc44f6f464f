"""References: HD-<year of reported_at>-<per-year counter>, unique under concurrency."""

import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection, transaction

from tickets.models import Ticket, TicketCounter
from tickets.references import format_reference, reference_allocate, reference_year


def test_reference_is_prefix_year_and_six_digit_counter():
    assert format_reference(2026, 42) == "HD-2026-000042"


def test_year_is_taken_in_berlin_time():
    # 23:30 UTC on New Year's Eve is already 00:30 on 1 January in Berlin.
    assert reference_year(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == 2027
    assert reference_year(datetime(2026, 12, 31, 22, 30, tzinfo=UTC)) == 2026


@pytest.mark.django_db
def test_counter_runs_per_year():
    with transaction.atomic():
        first = reference_allocate(reported_at=datetime(2026, 5, 1, tzinfo=UTC))
        second = reference_allocate(reported_at=datetime(2026, 5, 2, tzinfo=UTC))
        other_year = reference_allocate(reported_at=datetime(2027, 1, 5, tzinfo=UTC))
    assert (first, second, other_year) == ("HD-2026-000001", "HD-2026-000002", "HD-2027-000001")
    assert TicketCounter.objects.get(year=2026).last_number == 2


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        reference_allocate(reported_at=datetime(2026, 5, 1, tzinfo=UTC))


@pytest.mark.django_db
def test_ticket_reference_uses_the_year_it_was_reported(file_ticket):
    ticket = file_ticket(reported_at=datetime(2025, 12, 30, 10, 0, tzinfo=UTC))
    assert ticket.reference == "HD-2025-000001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_filing_gives_distinct_consecutive_references(demo):
    """Eight threads file at once (each with its own connection); no reference is used twice."""
    if connection.vendor == "sqlite":
        pytest.skip("the shared in-memory SQLite test database locks whole tables; see the file-based test below")
    from tickets.services import ticket_create

    requester = demo["users"]["customer"]
    errors, barrier = [], threading.Barrier(8)

    def file(n):
        from django.db import connections

        try:
            barrier.wait()
            ticket_create(
                organisation=requester.organisation, requester=requester, actor=requester,
                subject=f"Gleichzeitig {n}", description="Zur selben Zeit gemeldet.", category="question",
            )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    references = list(Ticket.objects.filter(subject__startswith="Gleichzeitig").values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 8
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in Ticket.objects.values_list("reference", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


SQLITE_SCRIPT = """
import json, threading, django
django.setup()
from django.core.management import call_command
from django.db import connections
call_command("migrate", verbosity=0)
from accounts.models import Organisation, Role, User
from tickets.services import ticket_create
org = Organisation.objects.create(name="Müller GmbH", customer_number="1", country="DE")
user = User.objects.create(username="jürgen", organisation=org, role=Role.CONTACT)
barrier, errors = threading.Barrier(8), []
def file(n):
    try:
        barrier.wait()
        for i in range(3):
            ticket_create(organisation=org, requester=user, actor=user, subject=f"{n}-{i}",
                          description="gleichzeitig", category="question")
    except Exception as error:
        errors.append(repr(error))
    finally:
        connections.close_all()
threads = [threading.Thread(target=file, args=(n,)) for n in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
from tickets.models import Ticket
print(json.dumps({"errors": errors, "references": list(Ticket.objects.values_list("reference", flat=True))}))
"""


def test_concurrent_filing_on_a_sqlite_file_gives_distinct_references(tmp_path):
    """SQLite as deployed (a file, BEGIN IMMEDIATE): 8 threads, 3 tickets each, 24 distinct references."""
    env = {**os.environ, "HELPDESK_VAR_DIR": str(tmp_path), "CELERY_TASK_ALWAYS_EAGER": "true",
           "DJANGO_SETTINGS_MODULE": "helpdesk.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT], env=env, cwd=Path(__file__).resolve().parents[2],
        capture_output=True, text=True, timeout=180, check=True,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in outcome["references"])
    assert numbers == list(range(1, 25))


@pytest.mark.django_db
def test_a_rolled_back_filing_gives_its_number_back():
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        assert reference_allocate(reported_at=datetime(2026, 5, 1, tzinfo=UTC)) == "HD-2026-000001"
        raise Abort
    with transaction.atomic():
        assert reference_allocate(reported_at=datetime(2026, 5, 1, tzinfo=UTC)) == "HD-2026-000001"
