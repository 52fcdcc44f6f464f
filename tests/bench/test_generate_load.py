"""`manage.py generate_load` (the development app `bench.loadgen`): bulk load data that the queue and
workspace can work with."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.urls import reverse

from tests.tickets.conftest import login_as
from tickets.models import Ticket, TicketEvent, TimeEntry
from tickets.selectors import REFERENCE_RE

pytestmark = pytest.mark.django_db(transaction=True)


def _load(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_load", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_it_creates_consistent_tickets_with_histories_and_effort(demo):
    before = Ticket.objects.count()
    out, err = _load(tickets=600, seed=7, batch=250, bench_events=40, workers=2)
    assert "Created 600 tickets" in out
    assert "tickets [" in err  # the progress bar goes to stderr
    loaded = Ticket.objects.filter(organisation__customer_number__startswith="L007").exclude(
        idempotency_key__startswith="load:bench")
    assert loaded.count() == 600
    assert all(REFERENCE_RE.match(ref) for ref in loaded.values_list("reference", flat=True))
    assert Ticket.objects.count() == before + 601  # and the benchmark ticket
    # every ticket has its "filed" event; comments belong to their ticket's events
    assert not loaded.annotate(n=Count("events")).filter(n=0).exists()
    assert not TicketEvent.objects.filter(comment__isnull=False).exclude(ticket=F("comment__ticket")).exists()
    assert TimeEntry.objects.filter(ticket__in=loaded).exists()
    assert loaded.filter(queue_bucket__in=[0, 1]).exists() and loaded.filter(queue_bucket=2).exists()
    assert loaded.filter(sla_calendar__isnull=False).exists()
    bench = Ticket.objects.get(idempotency_key="load:bench:7")
    assert bench.events.count() == 40


def test_the_same_seed_gives_the_same_tickets(demo):
    _load(tickets=120, seed=11, batch=50, bench_events=0, workers=2)
    first = list(Ticket.objects.filter(organisation__customer_number__startswith="L011").order_by("pk").values_list(
        "subject", "status", "severity", "reported_at"))
    TicketEvent.objects.filter(ticket__organisation__customer_number__startswith="L011").delete()
    Ticket.objects.filter(organisation__customer_number__startswith="L011").delete()
    _load(tickets=120, seed=11, batch=50, bench_events=0, workers=2)
    again = list(Ticket.objects.filter(organisation__customer_number__startswith="L011").order_by("pk").values_list(
        "subject", "status", "severity", "reported_at"))
    assert [row[:3] for row in again] == [row[:3] for row in first]


def test_new_tickets_after_a_load_get_fresh_ids_and_references(demo, file_ticket):
    _load(tickets=50, seed=3, batch=50, bench_events=0, workers=1)
    ticket = file_ticket()
    assert ticket.pk > Ticket.objects.exclude(pk=ticket.pk).order_by("-pk").first().pk
    assert Ticket.objects.filter(reference=ticket.reference).count() == 1


def test_the_demo_agent_works_the_loaded_queue_and_every_kind_of_loaded_history(client, demo):
    _load(tickets=300, seed=5, batch=300, bench_events=30, workers=1)
    login_as(client, demo["users"], "agent")
    response = client.get(reverse("tickets:queue"))
    assert response.status_code == 200 and response.context["rows"]
    bench = Ticket.objects.get(idempotency_key="load:bench:5")
    assert client.get(reverse("tickets:workspace", kwargs={"reference": bench.reference})).status_code == 200
    # one visible ticket per history shape renders in the workspace (the rows bypass the services)
    visible = Ticket.objects.filter(organisation__customer_number__startswith="L005",
                                    organisation__support_partner__isnull=True)
    for status in ("new", "in_progress", "waiting", "workaround", "resolved", "closed"):
        ticket = visible.filter(status=status).first()
        if ticket is not None:
            url = reverse("tickets:workspace", kwargs={"reference": ticket.reference})
            assert client.get(url).status_code == 200, status
    assigned = TicketEvent.objects.filter(ticket__in=visible, code="assigned").first()
    assert assigned.payload["new"]["assignee"]["name"]


def test_zero_tickets_is_refused(demo):
    with pytest.raises(CommandError):
        _load(tickets=0)
