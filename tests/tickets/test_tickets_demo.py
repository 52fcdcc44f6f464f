"""The demo tickets: several per customer, various statuses, idempotent, silent."""

import pytest
from django.core import mail
from django.core.management import call_command

from sla.choices import Status
from tickets.demo import DEMO_ATTACHMENT_ID, first_demo_reference
from tickets.models import Attachment, Comment, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def _counts():
    return Ticket.objects.count(), Comment.objects.count(), TicketEvent.objects.count(), Attachment.objects.count()


def test_every_demo_customer_has_tickets_in_several_statuses(demo):
    for name in ("Müller Maschinenbau GmbH", "Acme Tooling Inc.", "Frischmarkt Handels GmbH & Co. KG",
                 "Bäckerei Schröder"):
        tickets = Ticket.objects.filter(organisation__name=name)
        assert tickets.count() >= 2
        assert len(set(tickets.values_list("status", flat=True))) >= 2
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)
    assert Comment.objects.filter(is_internal=True).exists() and Comment.objects.filter(is_internal=False).exists()


def test_first_demo_ticket_is_muellers_with_the_known_attachment(demo):
    ticket = Ticket.objects.get(reference=first_demo_reference(demo["now"]))  # the seeding's year
    assert ticket.organisation.name == "Müller Maschinenbau GmbH"
    assert ticket.attachments.get().public_id == DEMO_ATTACHMENT_ID


def test_seeding_again_creates_nothing(demo):
    before = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == before


@pytest.mark.django_db(transaction=True)
def test_seeding_mails_nobody():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Ticket.objects.exists()
    assert mail.outbox == []
