from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from tests.factories import AdminFactory, AgentFactory, ContactFactory, OrganisationFactory, TicketFactory, UserFactory

# The fixed clock of these tests: services take `now`; the rows' own instants are set explicitly.
NOW = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)
PDF = b"%PDF-1.4\n% Pruefbericht\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


def upload(name: str = "Prüfbericht.pdf", content: bytes = PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="datenschutz", language="en")


@pytest.fixture
def people(db):
    """A customer organisation with a contact and a reader, the vendor's agent and manager."""
    organisation = OrganisationFactory()
    return {
        "contact": ContactFactory(
            organisation=organisation, username="erika", first_name="Erika", last_name="Mustermann",
            email="erika@example.com", phone="+49 221 123456",
        ),
        "reader": UserFactory(organisation=organisation, role=Role.READER, username="leser"),
        "agent": AgentFactory(username="agent-anna", first_name="Anna", last_name="Agentin"),
        "manager": AgentFactory(role=Role.MANAGER, username="chef"),
    }


@pytest.fixture
def filed(people):
    """A ticket Erika filed with a file, a reply of hers with a file, the agent's reply and time."""
    from tickets.services import attachment_add, comment_add, ticket_assign, time_entry_add

    contact, agent = people["contact"], people["agent"]
    ticket = TicketFactory(requester=contact, callback_phone="+49 221 999")
    attachment_add(ticket=ticket, actor=contact, file=upload("Fehlerbild Erika.pdf"))
    comment_add(ticket=ticket, author=contact, body="Bitte rufen Sie Erika unter 0221 123456 an.",
                files=[upload("Protokoll.pdf")])
    comment_add(ticket=ticket, author=agent, body="Wir melden uns, Frau Mustermann.")
    ticket_assign(ticket=ticket, actor=agent, assignee=agent)
    entry = time_entry_add(ticket=ticket, actor=agent, minutes=45, note="Telefonat mit Frau Mustermann")
    ticket.refresh_from_db()
    return {"ticket": ticket, "entry": entry}


ROLES_WITHOUT_PRIVACY = ["contact", "reader", "agent", "manager"]


__all__ = ["NOW", "ROLES_WITHOUT_PRIVACY", "upload"]
