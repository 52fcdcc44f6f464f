"""The queue page: filters in the URL, the htmx refresh partial, pagination links, saved views,
bulk actions with a result per ticket, and a constant number of queries per page."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tickets.agent_helpers import queue_references
from tests.tickets.conftest import login_as
from tickets import services
from tickets.models import SavedView, Ticket

pytestmark = pytest.mark.django_db

QUEUE = reverse("tickets:queue")


def test_agents_see_their_queue_with_sla_columns(client, users):
    login_as(client, users, "agent")
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="queue"' in html and 'data-testid="sla-state"' in html
    assert "Time left" in html
    assert response.context["rows"]


def test_customers_get_403_and_anonymous_the_login(client, users):
    assert client.get(QUEUE).status_code == 302
    login_as(client, users, "customer")
    assert client.get(QUEUE).status_code == 403


def test_the_queue_is_in_the_navigation_for_agents_only(client, users):
    login_as(client, users, "agent")
    assert "tickets:queue" in [i["name"] for i in client.get(reverse("home")).context["nav_items"]]
    login_as(client, users, "customer")
    assert "tickets:queue" not in [i["name"] for i in client.get(reverse("home")).context["nav_items"]]


def test_the_queue_reads_german(client, users):
    login_as(client, users, "agent", language="de")
    html = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Warteschlange" in html and "Restzeit" in html


def test_filters_live_in_the_url_and_invalid_values_are_explained(client, users):
    login_as(client, users, "agent")
    response = client.get(QUEUE, {"severity": "severe", "status": "bogus"})
    form = response.context["filter_form"]
    assert "status" in form.errors
    assert response.context["filter_query"] == "severity=severe"
    assert all(row.ticket.severity == "severe" for row in response.context["rows"])
    assert "is-invalid" in response.content.decode()


def test_the_htmx_refresh_returns_only_the_list_with_the_same_url(client, users):
    login_as(client, users, "agent")
    response = client.get(QUEUE, {"severity": "severe"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results")
    html = response.content.decode()
    assert next(t.name for t in response.templates) == "tickets/agent/_queue_results.html"
    assert "<html" not in html
    assert 'hx-get="/tickets/queue/?severity=severe"' in html
    assert 'hx-trigger="every 30s"' in html
    # selection survives the refresh: the checkboxes are preserved by id
    assert re.search(r'id="select-\d+" hx-preserve="true"', html)


def test_next_and_previous_links_carry_the_filters_and_the_page_number(client, users, file_ticket):
    for _ in range(30):
        file_ticket()
    login_as(client, users, "agent")
    first = client.get(QUEUE, {"severity": "minor"})
    next_url = first.context["next_url"]
    assert "severity=minor" in next_url and "after=" in next_url and "n=2" in next_url
    second = client.get(next_url)
    assert second.context["page_number"] == 2
    assert not set(queue_references(first)) & set(queue_references(second))
    back = client.get(second.context["previous_url"])
    assert queue_references(back) == queue_references(first)


def _queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured.captured_queries)


def test_queries_per_page_stay_constant_as_the_queue_grows(client, users, file_ticket,
                                                           django_assert_max_num_queries):
    # session, user, organisation, teams, colleagues, the page (26 rows), saved views; the flags of
    # the page's tickets and the count above the queue (`tickets.flags`: api's unverified e-mail)
    login_as(client, users, "agent")
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "queue-results"}
    filtered = f"{QUEUE}?severity=minor&q=Fehler"
    file_ticket()  # every page has a row (an empty page needs no flags)
    client.get(QUEUE), client.get(filtered)  # warm the business calendars' cache
    before = (_queries(client, QUEUE), _queries(client, filtered), _queries(client, QUEUE, **htmx))
    for _ in range(60):
        file_ticket()
    response = client.get(QUEUE)
    deep = response.context["next_url"]
    assert deep, "more than one page now"
    client.get(deep)
    after = (_queries(client, QUEUE), _queries(client, filtered), _queries(client, QUEUE, **htmx))
    assert after == before
    with django_assert_max_num_queries(9):
        client.get(deep)
    with django_assert_max_num_queries(7):
        client.get(QUEUE, **htmx)


def test_saving_a_view_keeps_the_filters_but_not_the_page_position(client, users):
    login_as(client, users, "agent")
    response = client.post(reverse("tickets:view_save"),
                           {"name": "Schwere Fehler", "query": "severity=severe&after=0.1.2&n=3&evil=1"})
    view = SavedView.objects.get(owner=users["agent"], name="Schwere Fehler")
    assert view.query == "severity=severe"
    assert response["Location"] == f"{QUEUE}?severity=severe"
    page = client.get(QUEUE)
    assert "Schwere Fehler" in page.content.decode()


def test_saving_under_an_existing_name_replaces_the_view(client, users):
    login_as(client, users, "agent")
    client.post(reverse("tickets:view_save"), {"name": "Meins", "query": "assignee=me"})
    client.post(reverse("tickets:view_save"), {"name": "Meins", "query": "assignee=unassigned"})
    assert list(SavedView.objects.filter(owner=users["agent"], name="Meins").values_list("query", flat=True)) == [
        "assignee=unassigned"
    ]


def test_a_view_without_a_name_is_refused(client, users):
    login_as(client, users, "agent")
    count = SavedView.objects.count()
    response = client.post(reverse("tickets:view_save"), {"name": "  ", "query": "assignee=me"}, follow=True)
    assert SavedView.objects.count() == count
    assert "Please give the view a name." in response.content.decode()


def test_views_are_personal(client, users):
    view = services.saved_view_save(owner=users["manager"], name="Chefsache", query="severity=severe")
    login_as(client, users, "agent")
    assert "Chefsache" not in client.get(QUEUE).content.decode()
    response = client.post(reverse("tickets:view_delete", kwargs={"pk": view.pk}))
    assert response.status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_deleting_ones_own_view(client, users):
    view = services.saved_view_save(owner=users["agent"], name="Weg damit", query="")
    login_as(client, users, "agent")
    client.post(reverse("tickets:view_delete", kwargs={"pk": view.pk}))
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_bulk_assign_reports_a_result_per_ticket(client, users, file_ticket, orgs):
    # Given a free ticket, one held by a colleague, and an id the agent may not see
    free = file_ticket()
    held = file_ticket()
    services.ticket_assign(ticket=held, actor=users["manager"], assignee=users["manager"])
    foreign = Ticket.objects.filter(organisation=orgs["baeckerei"]).first()
    login_as(client, users, "agent")
    response = client.post(reverse("tickets:queue_bulk"), {
        "tickets": [free.pk, held.pk, foreign.pk], "action": "assign", "assignee": "me", "back": QUEUE,
    })
    outcomes = response.context["outcomes"]
    assert [o.ok for o in outcomes] == [True, False, False]
    assert "Martin Groß holds this ticket" in outcomes[1].message
    assert outcomes[2].reference == ""  # nothing about the foreign ticket is revealed
    free.refresh_from_db(); held.refresh_from_db()  # noqa: E702
    assert free.assignee == users["agent"] and held.assignee == users["manager"]


def test_bulk_assign_with_take_over_reassigns_held_tickets(client, users, file_ticket):
    held = file_ticket()
    services.ticket_assign(ticket=held, actor=users["manager"], assignee=users["manager"])
    login_as(client, users, "agent")
    client.post(reverse("tickets:queue_bulk"), {
        "tickets": [held.pk], "action": "assign", "assignee": "me", "take_over": "on",
    })
    held.refresh_from_db()
    assert held.assignee == users["agent"]


def test_bulk_status_change_follows_the_transition_table_per_ticket(client, users, file_ticket):
    new = file_ticket()
    closed = file_ticket()
    services.ticket_close(ticket=closed, actor=users["customer"])
    login_as(client, users, "agent")
    response = client.post(reverse("tickets:queue_bulk"), {
        "tickets": [new.pk, closed.pk], "action": "status", "status": "waiting",
    })
    outcomes = response.context["outcomes"]
    assert outcomes[0].ok and not outcomes[1].ok
    assert "cannot go from" in outcomes[1].message
    new.refresh_from_db()
    assert new.status == "waiting"


def test_bulk_without_tickets_or_choice_is_explained(client, users):
    login_as(client, users, "agent")
    response = client.post(reverse("tickets:queue_bulk"), {"action": "status", "status": ""}, follow=True)
    html = response.content.decode()
    assert "Please select at least one ticket." in html and "Please choose the new status." in html


def test_bulk_refuses_customers(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "customer")
    response = client.post(reverse("tickets:queue_bulk"), {"tickets": [ticket.pk], "action": "status",
                                                           "status": "closed"})
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_taking_from_the_queue_returns_to_the_same_queue_url(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "agent")
    url = f"{QUEUE}?severity=minor"
    response = client.post(reverse("tickets:claim", kwargs={"reference": ticket.reference}), {"next": url})
    assert response["Location"] == url
    response = client.post(reverse("tickets:claim", kwargs={"reference": ticket.reference}),
                           {"next": "https://evil.example/"})
    assert response["Location"] == reverse("tickets:workspace", kwargs={"reference": ticket.reference})


@pytest.mark.parametrize(("now", "expected"), [
    # Friday 16:00 was the deadline and the German desk's closing time; Saturday it is still shut.
    (datetime(2026, 11, 21, 11, 0, tzinfo=UTC), "überfällig seit 20.11.2026, 16:00"),
    # Monday 10:30: an hour and a half of business time has passed since.
    (datetime(2026, 11, 23, 9, 30, tzinfo=UTC), "überfällig um 1 Std. 30 Min."),
])
def test_a_deadline_missed_at_closing_time_reads_overdue_since_until_the_desk_opens(
    client, users, file_ticket, monkeypatch, now, expected
):
    from types import SimpleNamespace

    from tickets.views import queue

    ticket = file_ticket(severity="severe", reported_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    Ticket.objects.filter(pk=ticket.pk).update(reaction_due_at=datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    monkeypatch.setattr(queue, "timezone", SimpleNamespace(now=lambda: now))
    login_as(client, users, "agent")
    users["agent"].language = "de"
    users["agent"].save(update_fields=["language"])
    html = client.get(QUEUE, {"q": ticket.reference}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    row = re.search(r'data-testid="time-left">(.*?)</td>', html, re.S).group(1)
    assert " ".join(row.split()) == expected
