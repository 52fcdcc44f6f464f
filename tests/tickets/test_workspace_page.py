"""The ticket workspace: SLA clocks with business time used and left, the timeline with public and
internal events, canned replies with placeholders, who may open it, and its query count."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.tickets.agent_helpers import set_deadlines
from tests.tickets.conftest import login_as
from tickets import canned, services
from tickets.models import CannedReply, Ticket
from tickets.sla_clocks import format_business_time, sla_clocks_for

pytestmark = pytest.mark.django_db


def _url(ticket, name="tickets:workspace"):
    return reverse(name, kwargs={"reference": ticket.reference})


def test_the_workspace_shows_the_ticket_timeline_with_internal_events(client, users, orgs):
    ticket = Ticket.objects.filter(organisation=orgs["mueller"], subject__startswith="Druckaufträge").get()
    login_as(client, users, "agent")
    response = client.get(_url(ticket))
    assert response.status_code == 200
    items = response.context["timeline"]
    assert any(item.is_internal for item in items)  # the internal note of the demo
    assert any(item.kind == "comment" and not item.is_internal for item in items)
    assert "Spooler-Dienst hängt" in response.content.decode()


def test_escalations_appear_for_agents_in_the_order_they_fired_and_never_for_customers(client, users, file_ticket):
    from datetime import timedelta

    from escalation.models import Escalation

    ticket = file_ticket(severity="severe")
    services.comment_add(ticket=ticket, author=users["agent"], body="Wir sehen nach.", is_internal=True)
    later = timezone.now() + timedelta(minutes=5)
    Escalation.objects.create(ticket=ticket, target="reaction", level="breach", due_at=later, fired_at=later)
    Escalation.objects.create(ticket=ticket, target="reaction", level="warning", due_at=later - timedelta(hours=1),
                              fired_at=later - timedelta(hours=1))
    login_as(client, users, "agent")
    users["agent"].language = "de"
    users["agent"].save(update_fields=["language"])
    items = client.get(_url(ticket), HTTP_ACCEPT_LANGUAGE="de").context["timeline"]
    texts = [item.text for item in items if item.icon == "bell"]
    assert texts == ["Eskalation: Die Reaktionsfrist läuft bald ab.",
                     "Eskalation: Die Reaktionsfrist wurde überschritten."]
    assert all(item.is_internal for item in items if item.icon == "bell")
    assert [item.at for item in items] == sorted(item.at for item in items)
    assert items[-1].icon == "bell"  # fired after everything else
    login_as(client, users, "customer")
    page = client.get(_url(ticket, "tickets:detail")).content.decode()
    assert "Eskalation" not in page and "Escalation" not in page


def test_a_resellers_agent_gets_404_for_a_foreign_ticket_and_customers_403(client, users, orgs):
    ticket = Ticket.objects.filter(organisation=orgs["mueller"]).first()
    login_as(client, users, "partner-agent")
    assert client.get(_url(ticket)).status_code == 404
    assert client.post(_url(ticket, "tickets:claim")).status_code == 404
    login_as(client, users, "customer")  # even the ticket's own customer: agents' page
    assert client.get(_url(ticket)).status_code == 403


def test_a_resellers_agent_works_its_own_customers_ticket(client, users, orgs):
    ticket = Ticket.objects.filter(organisation=orgs["baeckerei"], status="in_progress").first()
    login_as(client, users, "partner-agent")
    assert client.get(_url(ticket)).status_code == 200
    login_as(client, users, "agent")
    assert client.get(_url(ticket)).status_code == 404


def test_sla_clocks_show_business_time_used_and_left(users, file_ticket):
    # Given a severe fault filed on a Monday 10:00 (Müller: reaction within 6 business hours, 09-17)
    monday = timezone.make_aware(datetime(2026, 11, 16, 10, 0))
    ticket = file_ticket(severity="severe", reported_at=monday)
    ticket.refresh_from_db()
    assert ticket.reaction_due_at == timezone.make_aware(datetime(2026, 11, 16, 16, 0))
    # When the agent looks at 12:30 the same day
    clocks = sla_clocks_for(ticket=ticket, now=timezone.make_aware(datetime(2026, 11, 16, 12, 30)))
    reaction = clocks[0]
    # Then 2.5 h of business time are used and 3.5 h are left
    assert (reaction.kind, reaction.used_seconds, reaction.left_seconds) == ("reaction", 9000, 12600)
    # And at 10:00 the next morning it is 2 business hours overdue (16-17 and 9-10), 8 h used
    late = sla_clocks_for(ticket=ticket, now=timezone.make_aware(datetime(2026, 11, 17, 10, 0)))[0]
    assert late.overdue and late.left_seconds == -2 * 3600 and late.used_seconds == 8 * 3600
    assert format_business_time(late.left_seconds) == "2 h 0 min"


def test_the_reaction_clock_stops_at_the_reaction(users, file_ticket):
    monday = timezone.make_aware(datetime(2026, 11, 16, 10, 0))
    ticket = file_ticket(severity="severe", reported_at=monday)
    Ticket.objects.filter(pk=ticket.pk).update(first_reaction_at=timezone.make_aware(datetime(2026, 11, 16, 11, 0)),
                                               reaction_state="met", reaction_business_seconds=3600)
    ticket.refresh_from_db()
    clock = sla_clocks_for(ticket=ticket, now=timezone.make_aware(datetime(2026, 11, 18, 10, 0)))[0]
    assert (clock.state, clock.used_seconds, clock.left_seconds) == ("met", 3600, 5 * 3600)


def test_a_ticket_without_sla_has_no_clocks(client, users, file_ticket):
    ticket = file_ticket(category="question", severity="")
    login_as(client, users, "agent")
    response = client.get(_url(ticket))
    assert response.context["clocks"] == []
    assert "No service-level deadline applies" in response.content.decode()


def test_the_page_shows_overdue_business_time(client, users, file_ticket):
    ticket = set_deadlines(file_ticket(severity="severe"), reaction_in=-30)
    login_as(client, users, "agent")
    html = client.get(_url(ticket)).content.decode()
    assert 'data-testid="sla-clock-reaction"' in html and "Overdue by" in html


def test_canned_replies_of_the_team_fill_their_placeholders_for_the_customer(client, users, file_ticket):
    ticket = file_ticket(severity="severe")
    ticket.refresh_from_db()
    login_as(client, users, "agent")
    replies = client.get(_url(ticket)).context["canned_replies"]
    titles = [item["reply"].title for item in replies]
    assert "Eingangsbestätigung" in titles and "Acknowledgement" not in titles  # de-1st-level, not us-desk
    text = next(item["text"] for item in replies if item["reply"].title == "Eingangsbestätigung")
    assert "Guten Tag Jürgen Müller" in text and ticket.reference in text
    # the deadline in the customer's language (German) and zone
    assert canned.format_moment(ticket.reaction_due_at, users["customer"]) in text or "2026" in text
    assert "{deadline}" not in text and "Anja Böhm" in text


def test_placeholders_only_known_names_are_replaced(users, file_ticket):
    ticket = file_ticket(category="question", severity="")
    text = canned.canned_reply_fill(body="{reference} {unknown} {deadline}", ticket=ticket, agent=users["agent"])
    assert text.startswith(ticket.reference) and "{unknown}" in text and "so bald wie möglich" in text


def test_inactive_canned_replies_are_not_offered(client, users, file_ticket):
    CannedReply.objects.filter(title="Fernwartung anfragen").update(is_active=False)
    login_as(client, users, "agent")
    titles = [i["reply"].title for i in client.get(_url(file_ticket())).context["canned_replies"]]
    assert "Fernwartung anfragen" not in titles


def test_workspace_queries_do_not_grow_with_the_history(client, users, file_ticket, django_assert_max_num_queries):
    ticket = file_ticket()
    login_as(client, users, "agent")
    client.get(_url(ticket))
    with django_assert_max_num_queries(22) as small:  # tags, macros, watchers, linked articles, next reply
        client.get(_url(ticket))
    for index in range(30):
        services.comment_add(ticket=ticket, author=users["agent"], body=f"Notiz {index}", is_internal=index % 2 == 0)
        services.time_entry_add(ticket=ticket, actor=users["agent"], minutes=5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_url(ticket))
    assert len(response.context["timeline"]) > 30


def test_agents_reach_the_workspace_from_the_customers_view(client, users, orgs):
    ticket = Ticket.objects.filter(organisation=orgs["mueller"]).first()
    login_as(client, users, "agent")
    assert reverse("tickets:workspace", kwargs={"reference": ticket.reference}) in client.get(
        _url(ticket, "tickets:detail")).content.decode()
    login_as(client, users, "customer")
    assert 'data-testid="open-workspace"' not in client.get(_url(ticket, "tickets:detail")).content.decode()


def test_admins_keep_canned_replies_through_the_admin(client, users, demo):
    client.force_login(users["admin"])
    team = demo["teams"]["us-desk"]
    response = client.post(reverse("admin:tickets_cannedreply_add"), {
        "team": team.pk, "title": "Closing note", "body": "Hello {customer_name}, we close {reference}.",
        "is_active": "on",
    })
    assert response.status_code == 302
    reply = CannedReply.objects.get(team=team, title="Closing note")
    response = client.post(reverse("admin:tickets_cannedreply_change", args=[reply.pk]), {
        "team": team.pk, "title": "Closing note (short)", "body": "Closed: {reference}.", "is_active": "",
    })
    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.title, reply.is_active) == ("Closing note (short)", False)
    assert CannedReply.objects.filter(team=team, title__startswith="Closing note").count() == 1
