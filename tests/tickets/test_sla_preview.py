"""The filing form's preview, live: the reaction deadline a ticket would get, and outside support
hours, for a severe fault, when support opens and the paid out-of-hours offer (German and English)."""

import pytest
from django.urls import reverse

from sla.models import Contract
from tests.tickets.conftest import login_as
from tests.tickets.sla_helpers import berlin, clock
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

SATURDAY = berlin(2026, 11, 28, 10, 0)
MONDAY_10 = berlin(2026, 11, 30, 10, 0)


def _preview(client, at, **params):
    with clock(at):
        return client.get(reverse("tickets:preview"), params).content.decode()


def test_preview_shows_the_deadline_the_ticket_will_get(client, users):
    login_as(client, users)
    content = _preview(client, MONDAY_10, category="fault", severity="severe")
    assert "If you file now, we will react by Monday, 30 November 2026, 16:00 CET." in content
    assert "out-of-hours" not in content  # the desk is open


def test_preview_in_german(client, users):
    login_as(client, users, language="de")
    content = _preview(client, MONDAY_10, category="fault", severity="minor")
    assert "Dienstag, 1. Dezember 2026, 14:00" in content


def test_severe_fault_on_saturday_says_when_support_opens_and_offers_paid_service(client, users):
    login_as(client, users)
    content = _preview(client, SATURDAY, category="fault", severity="severe")
    assert "we will react by Monday, 30 November 2026, 15:00 CET" in content
    assert "It opens again on Monday, 30 November 2026, 09:00 CET" in content
    assert 'name="accept_out_of_hours"' in content


def test_the_out_of_hours_offer_in_german(client, users):
    login_as(client, users, language="de")
    content = _preview(client, SATURDAY, category="fault", severity="severe")
    assert "Montag, 30. November 2026, 09:00" in content
    assert "kostenpflichtig" in content


def test_a_minor_fault_on_saturday_gets_no_offer(client, users):
    login_as(client, users)
    assert "accept_out_of_hours" not in _preview(client, SATURDAY, category="fault", severity="minor")


def test_the_pos_hotline_is_open_on_saturday(client, users):
    login_as(client, users, "pos-customer")
    content = _preview(client, SATURDAY, category="fault", severity="severe")
    assert "we will react by Saturday, 28 November 2026, 16:00 CET" in content
    assert "accept_out_of_hours" not in content


def test_without_a_contract_the_deadline_follows_on_the_ticket_page(client, users, orgs):
    Contract.objects.filter(organisation=orgs["mueller"]).delete()
    login_as(client, users)
    content = _preview(client, SATURDAY, category="fault", severity="severe")
    assert 'data-testid="preview-deadline-later"' in content
    assert "accept_out_of_hours" not in content


def test_filing_on_saturday_with_acceptance_stores_the_notice_and_the_deadline(client, users):
    login_as(client, users, language="de")
    form = {
        "category": "fault", "severity": "severe", "subject": "Leitstand steht", "affected_system": "Leitstand",
        "description": "Nichts geht mehr.", "occurring_since": "seit 09:50", "impact": "Halle 3 steht.",
        "idempotency_key": "e" * 32, "accept_out_of_hours": "on",
    }
    with clock(SATURDAY):
        response = client.post(reverse("tickets:create"), form, follow=True)
    ticket = Ticket.objects.get(idempotency_key="e" * 32)
    assert ticket.out_of_hours_accepted_at == SATURDAY
    assert "Montag, 30. November 2026, 09:00" in ticket.out_of_hours_notice
    assert ticket.reaction_due_at == berlin(2026, 11, 30, 15, 0)
    assert "Reaktion bis Montag, 30. November 2026, 15:00" in response.content.decode()
