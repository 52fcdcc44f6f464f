"""The customers' ticket list: its title names the organisation (for readers too) and each open
ticket shows the deadline we promised, in the desk's time zone, with the zone's name."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import Role
from sla.choices import Status, TargetState
from sla.models import Calendar
from tests.factories import OrganisationFactory, TicketFactory, UserFactory
from tests.tickets.sla_helpers import clock
from tickets.models import Ticket
from tickets.views.portal import promised_deadline

pytestmark = pytest.mark.django_db
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Bäckerei Kühn KG")


def _ticket(organisation, **fields):
    ticket = TicketFactory(requester=UserFactory(organisation=organisation), category="question", severity="")
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    ticket.refresh_from_db()
    return ticket


def _get(client, user, language="en", **params):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    with clock(NOW):
        return client.get(reverse("tickets:list"), params)


@pytest.mark.parametrize("role", [Role.CONTACT, Role.READER])
def test_the_title_names_the_organisation_for_contacts_and_readers(client, organisation, role):
    user = UserFactory(organisation=organisation, role=role)
    page = _get(client, user).content.decode()
    assert "<title>Tickets of Bäckerei Kühn KG" in page
    assert '<h1 class="h3 mb-0" data-testid="list-title">Tickets of Bäckerei Kühn KG</h1>' in page
    assert "My tickets" not in page
    german = _get(client, user, "de").content.decode()
    assert 'data-testid="list-title">Tickets von Bäckerei Kühn KG</h1>' in german


def test_open_tickets_show_the_promised_reaction_then_the_resolution(client, organisation):
    desk = Calendar.objects.create(slug="us-test", name="Support New York", time_zone="America/New_York")
    waiting = _ticket(organisation, sla_calendar=desk, reaction_state=TargetState.OPEN,
                      reaction_due_at=datetime(2026, 12, 7, 11, 30, tzinfo=NEW_YORK), subject="Wartet")
    reacted = _ticket(organisation, reaction_state=TargetState.MET, first_reaction_at=NOW - timedelta(hours=2),
                      reaction_due_at=NOW - timedelta(hours=1), resolution_state=TargetState.OPEN,
                      resolution_due_at=datetime(2026, 12, 9, 16, 0, tzinfo=BERLIN), subject="Reagiert")
    late = _ticket(organisation, reaction_state=TargetState.OPEN, reaction_due_at=NOW - timedelta(minutes=5),
                   subject="Verspätet")
    _ticket(organisation, subject="Ohne Zusage")
    response = _get(client, UserFactory(organisation=organisation))
    page = response.content.decode()
    assert "Promised by" in page
    rows = {t.subject: t.promised for t in response.context["page_obj"]}
    assert rows["Wartet"] == {"kind": "reaction", "at": waiting.reaction_due_at, "overdue": False,
                              "text": "7 Dec 2026, 11:30 EST"}
    assert rows["Reagiert"]["kind"] == "resolution" and rows["Reagiert"]["text"] == "9 Dec 2026, 16:00 CET"
    assert rows["Verspätet"]["overdue"] is True and "Reaction was due" in page
    assert rows["Ohne Zusage"] is None
    assert reacted.reference in page and late.reference in page


def test_closed_tickets_and_paused_resolutions_promise_nothing(organisation):
    done = _ticket(organisation, status=Status.RESOLVED, resolution_state=TargetState.OPEN,
                   resolution_due_at=NOW + timedelta(days=1))
    paused = _ticket(organisation, first_reaction_at=NOW - timedelta(hours=1), reaction_state=TargetState.MET,
                     resolution_state=TargetState.PAUSED, resolution_due_at=NOW + timedelta(days=1))
    assert promised_deadline(done, NOW) is None
    assert promised_deadline(paused, NOW) is None


def test_the_closed_tab_has_no_promise_column(client, organisation):
    _ticket(organisation, status=Status.CLOSED)
    page = _get(client, UserFactory(organisation=organisation), tab="closed").content.decode()
    assert "Promised by" not in page
