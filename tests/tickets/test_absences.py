"""Absences: who may record them, the leads' notice of open tickets, and handing those tickets on
with the fair choice (page and service)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Absence, Role
from notifications.kinds import notification_show
from notifications.models import Notification
from tests.factories import (
    AgentFactory,
    ContactFactory,
    OrganisationFactory,
    TeamFactory,
    TeamRouteFactory,
    VendorFactory,
)
from tickets.absence_kinds import ABSENT_WITH_OPEN_TICKETS
from tickets.models import EventCode, Ticket
from tickets.services import absence as services
from tickets.timeline import describe

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 8, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
TODAY = date(2026, 12, 8)


@pytest.fixture
def desk():
    vendor = VendorFactory()
    lead = AgentFactory(organisation=vendor, first_name="Lea", last_name="Lead")
    anna, ben, cem = (AgentFactory(organisation=vendor, first_name=n, last_name="Agent")
                      for n in ("Anna", "Ben", "Cem"))
    team = TeamFactory(organisation=vendor, auto_assign=True, lead=lead)
    team.members.set([anna, ben, cem])
    customer = OrganisationFactory()
    TeamRouteFactory(organisation=customer, team=team)
    contact = ContactFactory(organisation=customer)
    manager = AgentFactory(organisation=vendor, role=Role.MANAGER)
    stranger = AgentFactory(organisation=vendor)
    return {"vendor": vendor, "lead": lead, "anna": anna, "ben": ben, "cem": cem, "team": team,
            "customer": customer, "contact": contact, "manager": manager, "stranger": stranger}


def _ticket(desk, assignee, n=[0]):  # noqa: B006 (a counter for unique references)
    n[0] += 1
    return Ticket.objects.create(
        reference=f"A-{n[0]:06d}", subject="Störung", description="Fehler 42", category="fault", severity="minor",
        organisation=desk["customer"], requester=desk["contact"], team=desk["team"], assignee=assignee,
        reported_at=NOW, last_activity_at=NOW,
    )


def _record(desk, actor, agent, **kwargs):
    return services.absence_record(actor=actor, agent=agent, starts_on=kwargs.pop("starts_on", TODAY),
                                   ends_on=kwargs.pop("ends_on", TODAY + timedelta(days=2)), now=NOW, **kwargs)


@pytest.mark.parametrize("who", ["anna", "lead", "manager"])
def test_the_agent_the_lead_and_a_manager_may_record(desk, who):
    absence = _record(desk, desk[who], desk["anna"], kind=Absence.Kind.SICK)
    assert absence.agent == desk["anna"] and absence.created_by == desk[who]


def test_a_colleague_and_a_customer_may_not(desk):
    for actor in (desk["stranger"], desk["contact"], desk["ben"]):
        with pytest.raises(PermissionDenied):
            _record(desk, actor, desk["anna"])
    assert not Absence.objects.exists()


def test_an_absence_cannot_end_before_it_starts_nor_be_of_an_unknown_kind(desk):
    with pytest.raises(ValidationError) as refused:
        _record(desk, desk["anna"], desk["anna"], starts_on=TODAY, ends_on=TODAY - timedelta(days=1))
    assert "ends_on" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _record(desk, desk["anna"], desk["anna"], kind="party")
    assert not Absence.objects.exists()


def test_going_absent_with_open_tickets_tells_the_lead(desk):
    _ticket(desk, desk["anna"])
    _ticket(desk, desk["anna"])
    absence = _record(desk, desk["anna"], desk["anna"])
    notice = Notification.objects.get(recipient=desk["lead"])
    assert notice.kind == ABSENT_WITH_OPEN_TICKETS and notice.payload["absence"] == absence.pk
    with translation.override("en"):
        shown = notification_show(kind=notice.kind, payload=notice.payload, reader=desk["lead"])
    assert shown.text.startswith("Anna Agent is absent from") and "2 open tickets" in shown.text
    with translation.override("de"):
        shown = notification_show(kind=notice.kind, payload=notice.payload, reader=desk["lead"])
    assert "2 offenen Tickets" in shown.text


def test_no_notice_without_open_tickets_or_for_a_past_absence(desk):
    _record(desk, desk["anna"], desk["anna"])
    _ticket(desk, desk["ben"])
    _record(desk, desk["ben"], desk["ben"], starts_on=TODAY - timedelta(days=9), ends_on=TODAY - timedelta(days=1))
    assert not Notification.objects.exists()


def test_reassigning_hands_each_ticket_to_the_fairest_colleague(desk):
    tickets = [_ticket(desk, desk["anna"]) for _ in range(4)]
    _ticket(desk, desk["ben"])
    absence = _record(desk, desk["anna"], desk["anna"], starts_on=TODAY + timedelta(days=1))  # from tomorrow
    done = services.tickets_reassign_from_absent(actor=desk["lead"], absence=absence, tickets=tickets, now=NOW)
    assert len(done.moved) == 4 and not done.unassigned
    assignees = sorted(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values_list("assignee__first_name",
                                                                                         flat=True))
    # Cem (0) first; then 1:1, Ben's turn; 2:1, Cem; 2:2, Ben's turn lies further back: 3 each
    assert assignees == ["Ben", "Ben", "Cem", "Cem"]
    event = tickets[0].events.get(code=EventCode.ASSIGNED)
    assert event.actor == desk["lead"] and event.payload["auto"]["reason"] == "absence"
    with translation.override("en"):
        assert describe(event, "Lea Lead") == (
            "Reassigned automatically to Cem Agent because Anna Agent is absent: "
            "lowest load 0 among 2 available agents."
        )


def test_reassigning_with_nobody_available_returns_the_ticket_to_the_team_queue(desk):
    ticket = _ticket(desk, desk["anna"])
    for name in ("ben", "cem"):
        Absence.objects.create(agent=desk[name], starts_on=TODAY, ends_on=TODAY)
    absence = _record(desk, desk["lead"], desk["anna"])
    done = services.tickets_reassign_from_absent(actor=desk["lead"], absence=absence, tickets=[ticket], now=NOW)
    assert done.unassigned == [ticket] and not done.moved
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.team == desk["team"]


def test_reassigning_leaves_closed_and_others_tickets_alone(desk):
    closed = _ticket(desk, desk["anna"])
    Ticket.objects.filter(pk=closed.pk).update(status="closed")
    bens = _ticket(desk, desk["ben"])
    absence = _record(desk, desk["lead"], desk["anna"])
    done = services.tickets_reassign_from_absent(actor=desk["lead"], absence=absence, tickets=[closed, bens], now=NOW)
    assert not done.moved and not done.unassigned
    with pytest.raises(PermissionDenied):
        services.tickets_reassign_from_absent(actor=desk["stranger"], absence=absence, tickets=[bens], now=NOW)


def test_the_absence_page_records_and_refuses_bad_dates(client, desk):
    client.force_login(desk["anna"])
    url = reverse("tickets:absences")
    refused = client.post(url, {"agent": desk["anna"].pk, "starts_on": "2026-12-10", "ends_on": "2026-12-09",
                                "kind": "holiday", "note": "Urlaub in Süd"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "Urlaub in Süd" in refused.content.decode()  # nothing typed is lost
    assert not Absence.objects.exists()
    response = client.post(url, {"agent": desk["anna"].pk, "starts_on": "2026-12-10", "ends_on": "2026-12-11",
                                 "kind": "holiday"})
    assert response.status_code == 302
    assert Absence.objects.get().agent == desk["anna"]


def test_an_agent_cannot_choose_a_colleague_on_the_page(client, desk):
    client.force_login(desk["anna"])
    response = client.post(reverse("tickets:absences"), {"agent": desk["ben"].pk, "starts_on": "2026-12-10",
                                                          "ends_on": "2026-12-11", "kind": "holiday"})
    assert response.status_code == 400 and not Absence.objects.exists()


def test_the_reassign_page_lists_and_hands_on(client, desk):
    tickets = [_ticket(desk, desk["anna"]) for _ in range(2)]
    absence = _record(desk, desk["lead"], desk["anna"])
    client.force_login(desk["lead"])
    url = reverse("tickets:absence_reassign", kwargs={"pk": absence.pk})
    page = client.get(url).content.decode()
    assert all(t.reference in page for t in tickets)
    assert client.post(url, {}).status_code == 200  # nothing chosen: told so, nothing moved
    assert Ticket.objects.filter(assignee=desk["anna"]).count() == 2
    assert client.post(url, {"tickets": [t.pk for t in tickets]}).status_code == 302
    assert not Ticket.objects.filter(assignee=desk["anna"]).exists()


def test_others_cannot_open_or_remove_an_absence(client, desk):
    absence = _record(desk, desk["anna"], desk["anna"])
    client.force_login(desk["stranger"])
    assert client.get(reverse("tickets:absence_reassign", kwargs={"pk": absence.pk})).status_code == 403
    assert client.post(reverse("tickets:absence_delete", kwargs={"pk": absence.pk})).status_code == 403
    client.force_login(desk["anna"])
    assert client.post(reverse("tickets:absence_delete", kwargs={"pk": absence.pk})).status_code == 302
    assert not Absence.objects.exists()


def test_erasing_a_person_removes_their_absences_and_the_export_lists_them(desk):
    from privacy.selectors import person_data
    from privacy.services import person_erase
    from tests.factories import AdminFactory

    _record(desk, desk["anna"], desk["anna"], kind=Absence.Kind.SICK, note="Grippe")
    assert [a["kind"] for a in person_data(person=desk["anna"])["absences"]] == ["sick"]
    admin = AdminFactory(organisation=desk["vendor"])
    person_erase(person=desk["anna"], actor=admin, reason="Antrag", confirmation=desk["anna"].username, now=NOW)
    assert not Absence.objects.exists()


def test_the_lead_switches_the_team_s_auto_assignment_on_the_page_and_an_agent_cannot(client, desk):
    url = reverse("tickets:team_auto_assign", kwargs={"pk": desk["team"].pk})
    client.force_login(desk["anna"])
    assert desk["team"].name not in client.get(reverse("tickets:absences")).content.decode()
    assert client.post(url, {}).status_code == 403
    desk["team"].refresh_from_db()
    assert desk["team"].auto_assign is True
    client.force_login(desk["lead"])
    assert desk["team"].name in client.get(reverse("tickets:absences")).content.decode()
    assert client.post(url, {}).status_code == 302
    desk["team"].refresh_from_db()
    assert desk["team"].auto_assign is False
    client.post(url, {"auto_assign": "on"})
    desk["team"].refresh_from_db()
    assert desk["team"].auto_assign is True
