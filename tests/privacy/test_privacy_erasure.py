"""Erasure: the person becomes "Deleted person <id>", what they wrote and uploaded goes; tickets,
SLA figures, escalations and billed minutes stay. Audited, confirmed, idempotent."""

from pathlib import Path

import pytest
from axes.models import AccessLog
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from api.models import ApiToken, InboundMail
from escalation.models import Escalation
from notifications.models import Notification
from notifications.services import notification_create
from privacy.models import Erasure
from privacy.services import person_erase
from tests.factories import ApiTokenFactory
from tests.privacy.conftest import NOW, ROLES_WITHOUT_PRIVACY
from tickets.models import Attachment, Comment, EventCode, TicketEvent, TimeEntry

pytestmark = pytest.mark.django_db
REMOVED = "[Removed for data protection]"


def _erase(person, actor, *, confirmation=None, reason="Antrag per E-Mail vom 12.11.2026"):
    return person_erase(person=person, actor=actor, reason=reason,
                        confirmation=person.username if confirmation is None else confirmation, now=NOW)


def test_contact_is_anonymised_and_cannot_sign_in(admin_user, people, filed, settings):
    contact = people["contact"]
    _erase(contact, admin_user)
    contact.refresh_from_db()
    assert str(contact) == f"Deleted person {contact.pk}"
    assert (contact.username, contact.email, contact.phone) == (f"deleted-{contact.pk}", "", "")
    assert not contact.is_active and not contact.has_usable_password()
    request = RequestFactory().post("/account/login/")
    assert authenticate(request, username="erika", password="geheim-Passwort-1") is None
    assert authenticate(request, username=contact.username, password="geheim-Passwort-1") is None


def test_what_the_contact_wrote_and_uploaded_is_removed(admin_user, people, filed, django_capture_on_commit_callbacks):
    contact, ticket = people["contact"], filed["ticket"]
    files = [Path(a.file.path) for a in Attachment.objects.filter(uploaded_by=contact)]
    assert len(files) == 2 and all(f.exists() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        _erase(contact, admin_user)
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.description, ticket.callback_phone, ticket.impact) == (REMOVED, REMOVED, "", "")
    assert list(Comment.objects.filter(author=contact).values_list("body", flat=True)) == [REMOVED]
    assert not Attachment.objects.filter(ticket=ticket).exists()
    assert not any(f.exists() for f in files)
    names = {e.payload["name"] for e in TicketEvent.objects.filter(ticket=ticket, code=EventCode.ATTACHMENT_ADDED)}
    assert names == {"[removed file]"}
    created = TicketEvent.objects.get(ticket=ticket, code=EventCode.CREATED)
    assert created.payload["requester"]["name"] == f"Deleted person {contact.pk}"
    # The agent's reply is the agent's: it stays.
    assert Comment.objects.filter(author=people["agent"], body="Wir melden uns, Frau Mustermann.").exists()


def test_ticket_sla_figures_escalations_and_links_stay(admin_user, people, filed):
    ticket = filed["ticket"]
    Escalation.objects.create(ticket=ticket, target="reaction", level="warning", due_at=NOW, fired_at=NOW)
    before = {f: getattr(ticket, f) for f in (
        "reference", "status", "severity", "category", "reported_at", "reaction_due_at", "resolution_due_at",
        "first_reaction_at", "sla_state", "reaction_state", "organisation_id", "requester_id", "assignee_id")}
    _erase(people["contact"], admin_user)
    ticket.refresh_from_db()
    assert {f: getattr(ticket, f) for f in before} == before
    assert Escalation.objects.filter(ticket=ticket).count() == 1


def test_agent_erasure_keeps_billed_minutes_and_removes_notes(admin_user, people, filed):
    agent = people["agent"]
    notification_create(recipient=agent, kind="sla_escalation", payload={"reference": "HD-1"}, now=NOW)
    ApiTokenFactory(user=agent)
    _erase(agent, admin_user)
    entry = TimeEntry.objects.get(pk=filed["entry"].pk)
    assert (entry.minutes, entry.worked_on, entry.billable, entry.note) == (
        45, filed["entry"].worked_on, True, "")
    assert list(Comment.objects.filter(author=agent).values_list("body", flat=True)) == [REMOVED]
    assert not Notification.objects.filter(recipient=agent).exists()
    assert not ApiToken.objects.filter(user=agent).exists()
    assigned = TicketEvent.objects.get(ticket=filed["ticket"], code=EventCode.ASSIGNED)
    assert assigned.payload["new"]["assignee"]["name"] == f"Deleted person {agent.pk}"
    filed["ticket"].refresh_from_db()
    assert filed["ticket"].assignee_id == agent.pk


def test_sign_in_records_and_inbound_mails_lose_the_person(admin_user, people):
    contact = people["contact"]
    AccessLog.objects.create(username="erika", ip_address="192.0.2.7", user_agent="Firefox")
    mail = InboundMail.objects.create(message_key="<1@x>", sender="Erika@example.com", subject="Drucker kaputt",
                                      outcome=InboundMail.Outcome.TICKET_OPENED)
    _erase(contact, admin_user)
    assert not AccessLog.objects.filter(username="erika").exists()
    mail.refresh_from_db()
    assert (mail.sender, mail.subject, mail.outcome) == ("", "", InboundMail.Outcome.TICKET_OPENED)


def test_held_mail_and_the_bounce_mark_lose_the_person(admin_user, people):
    contact = people["contact"]
    contact.mail_bounced_at, contact.mail_bounce_reason = NOW, "5.1.1 User unknown <erika@example.com>"
    contact.save(update_fields=["mail_bounced_at", "mail_bounce_reason"])
    held = InboundMail.objects.create(
        message_key="<2@x>", sender="erika@example.com", subject="Drucker", outcome=InboundMail.Outcome.HELD,
        person=contact, review=InboundMail.Review.PENDING, body="Bitte rufen Sie Erika an.",
        file_names=["Erika.pdf"], raw=b"From: erika@example.com\n\nBitte rufen Sie Erika an.",
    )
    _erase(contact, admin_user)
    held.refresh_from_db()
    assert (held.sender, held.subject, held.body, held.file_names) == ("", "", "", [])
    assert (held.raw, held.person, held.outcome) == (None, None, InboundMail.Outcome.HELD)
    contact.refresh_from_db()
    assert (contact.mail_bounced_at, contact.mail_bounce_reason) == (None, "")


def test_erasure_is_audited_without_personal_data(admin_user, people, filed):
    contact = people["contact"]
    erased = _erase(contact, admin_user)
    record = Erasure.objects.get()
    assert erased.created and erased.erasure == record
    assert (record.person_id, record.actor, record.erased_at) == (contact.pk, admin_user, NOW)
    assert record.reason == "Antrag per E-Mail vom 12.11.2026"
    assert record.counts["comments"] == 1 and record.counts["attachments"] == 2
    stored = f"{record.counts} {record.reason}"
    assert "erika" not in stored.lower() and "Mustermann" not in stored


def test_a_second_erasure_changes_nothing(admin_user, people, filed):
    contact = people["contact"]
    first = _erase(contact, admin_user)
    second = _erase(contact, admin_user, confirmation="anything", reason="")
    assert not second.created and second.erasure == first.erasure
    assert Erasure.objects.count() == 1


@pytest.mark.parametrize(("confirmation", "reason", "field"), [
    ("Erika", "Antrag", "confirmation"),
    ("erika ", "", "reason"),
    ("", "Antrag", "confirmation"),
])
def test_erasure_needs_the_typed_user_name_and_a_reason(admin_user, people, filed, confirmation, reason, field):
    contact = people["contact"]
    with pytest.raises(ValidationError) as error:
        _erase(contact, admin_user, confirmation=confirmation, reason=reason)
    assert field in error.value.message_dict
    contact.refresh_from_db()
    assert (contact.username, contact.is_active) == ("erika", True)
    assert not Erasure.objects.exists()


def test_admin_cannot_erase_themselves(admin_user):
    with pytest.raises(ValidationError):
        _erase(admin_user, admin_user)
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.parametrize("role", ROLES_WITHOUT_PRIVACY)
def test_other_roles_cannot_erase(people, filed, role):
    victim = people["agent"] if role == "contact" else people["contact"]
    with pytest.raises(PermissionDenied):
        _erase(victim, people[role])
    victim.refresh_from_db()
    assert victim.is_active and not Erasure.objects.exists()


def test_erase_page_requires_the_confirmation(client, admin_user, people, filed):
    client.force_login(admin_user)
    url = reverse("privacy:erase", args=[people["contact"].pk])
    response = client.post(url, {"confirmation": "falsch", "reason": "Antrag"})
    assert response.status_code == 400
    assert b"Type the user name exactly as shown to confirm." in response.content
    assert not Erasure.objects.exists()
    response = client.post(url, {"confirmation": "erika", "reason": "Antrag"})
    assert response.status_code == 302
    assert Erasure.objects.get().actor == admin_user


@pytest.mark.parametrize("role", ROLES_WITHOUT_PRIVACY)
def test_erase_page_is_forbidden_to_other_roles(client, people, role):
    client.force_login(people[role])
    response = client.post(reverse("privacy:erase", args=[people["contact"].pk]),
                           {"confirmation": "erika", "reason": "Antrag"})
    assert response.status_code == 403
    assert not Erasure.objects.exists()


def test_person_page_finds_people_for_the_admin_only(client, admin_user, people):
    client.force_login(admin_user)
    response = client.get(reverse("privacy:index"), {"q": "Muster"})
    assert reverse("privacy:person", args=[people["contact"].pk]).encode() in response.content
    assert client.get(reverse("privacy:person", args=[people["contact"].pk])).status_code == 200
    assert client.get(reverse("privacy:person", args=[999_999])).status_code == 404
    client.force_login(people["manager"])
    assert client.get(reverse("privacy:index"), {"q": "Muster"}).status_code == 403


def test_records_are_listed_read_only_for_the_admin(client, admin_user, people, filed):
    _erase(people["contact"], admin_user)
    client.force_login(admin_user)
    assert client.get(reverse("admin:privacy_erasure_changelist")).status_code == 200
    record = Erasure.objects.get()
    assert client.post(reverse("admin:privacy_erasure_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    assert Erasure.objects.exists()
    manager = people["manager"]
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    client.force_login(manager)
    assert client.get(reverse("admin:privacy_erasure_changelist")).status_code == 403
