"""Phone tickets: an agent logs a call for a customer contact; the call's time is `reported_at`
(not in the future, not before the contract started) and the deadline counts from it."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.tickets.conftest import login_as
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _call(users, **overrides):
    fields = {
        "actor": users["agent"], "requester": users["customer"], "reported_at": timezone.now() - timedelta(hours=1),
        "subject": "Anruf: Leitstand hängt", "description": "Herr Müller ruft an: der Leitstand reagiert nicht.",
        "category": "fault", "severity": "severe", "affected_system": "Leitstand", "impact": "Halle 3 steht",
    }
    fields.update(overrides)
    return services.ticket_log_call(**fields).ticket


def test_a_logged_call_is_a_phone_ticket_for_the_caller_reported_at_the_call(users):
    called = timezone.make_aware(datetime(2026, 11, 16, 10, 0))  # a Monday, within support hours
    ticket = _call(users, reported_at=called)
    assert (ticket.channel, ticket.requester, ticket.organisation) == ("phone", users["customer"],
                                                                      users["customer"].organisation)
    assert ticket.reported_at == called
    assert ticket.reaction_due_at == timezone.make_aware(datetime(2026, 11, 16, 16, 0))  # 6 h from the call
    created = ticket.events.get(code="created")
    assert created.actor == users["agent"]


def test_a_call_in_the_future_is_refused(users):
    with pytest.raises(ValidationError) as refused:
        _call(users, reported_at=timezone.now() + timedelta(hours=2))
    assert "reported_at" in refused.value.message_dict


def test_a_call_before_the_contract_started_is_refused(users):
    with pytest.raises(ValidationError) as refused:
        _call(users, reported_at=timezone.make_aware(datetime(2023, 12, 31, 12, 0)))  # demo contracts: 2024-01-01
    assert "started on" in refused.value.message_dict["reported_at"][0]


def test_a_resellers_agent_cannot_log_a_call_for_a_vendor_customer(users):
    with pytest.raises(ValidationError):
        _call(users, actor=users["partner-agent"])


def test_customers_do_not_log_calls(users):
    with pytest.raises(PermissionDenied):
        _call(users, actor=users["customer"])


def test_the_phone_form_files_the_ticket_and_opens_the_workspace(client, users):
    login_as(client, users, "agent")
    page = client.get(reverse("tickets:phone"))
    assert users["customer"] in page.context["form"].fields["requester"].queryset
    assert users["partner-customer"] not in page.context["form"].fields["requester"].queryset
    response = client.post(reverse("tickets:phone"), {
        "requester": users["customer"].pk, "reported_at": "2026-11-16T10:00", "category": "fault",
        "severity": "minor", "subject": "Anruf", "description": "Drucker", "idempotency_key": "b" * 32,
    })
    ticket = Ticket.objects.get(channel="phone", subject="Anruf")
    assert response["Location"] == reverse("tickets:workspace", kwargs={"reference": ticket.reference})
    # a double submit files nothing twice
    client.post(reverse("tickets:phone"), {
        "requester": users["customer"].pk, "reported_at": "2026-11-16T10:00", "category": "fault",
        "severity": "minor", "subject": "Anruf", "description": "Drucker", "idempotency_key": "b" * 32,
    })
    assert Ticket.objects.filter(channel="phone", subject="Anruf").count() == 1


def test_the_phone_form_explains_a_future_time_next_to_the_field(client, users):
    login_as(client, users, "agent")
    later = timezone.localtime() + timedelta(days=1)
    response = client.post(reverse("tickets:phone"), {
        "requester": users["customer"].pk, "reported_at": later.strftime("%Y-%m-%dT%H:%M"), "category": "fault",
        "severity": "minor", "subject": "Später", "description": "x",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["reported_at"]
    assert response.context["form"]["subject"].value() == "Später"


def test_the_phone_form_requires_a_severity_for_faults(client, users):
    login_as(client, users, "agent")
    response = client.post(reverse("tickets:phone"), {
        "requester": users["customer"].pk, "reported_at": "2026-11-16T10:00", "category": "fault",
        "subject": "Ohne", "description": "x",
    })
    assert response.context["form"].errors["severity"]
