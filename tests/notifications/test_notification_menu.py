"""The bell's dropdown: the latest notifications (newest first, at most MENU_SIZE), unread ones as
buttons that mark them read and go on to the ticket, for agents and managers only."""

import pytest
from django.urls import reverse

from accounts.models import Role
from notifications import services
from notifications.views import MENU_SIZE
from tests.factories import AgentFactory, ContactFactory, TicketFactory, UserFactory
from tests.notifications.test_notifications_views import login, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    agent = AgentFactory()
    return {"agent": agent, "manager": UserFactory(role=Role.MANAGER, organisation=agent.organisation),
            "customer": ContactFactory()}


def test_the_menu_lists_the_latest_notifications_newest_first(client, users, django_assert_max_num_queries):
    made = [notify(users["agent"], reference=f"HD-2026-{n:06d}") for n in range(MENU_SIZE + 2)]
    services.notification_mark_read(user=users["agent"], notification_id=made[-1].pk)
    notify(users["manager"], reference="HD-2026-999999")
    login(client, users["agent"])
    # session, user, the rows with their tickets, the reader's organisation, the count
    with django_assert_max_num_queries(5):
        response = client.get(reverse("notifications:menu"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert [row["notification"].pk for row in response.context["rows"]] == [n.pk for n in reversed(made)][:MENU_SIZE]
    assert page.count('data-testid="notification"') == MENU_SIZE
    assert page.count("data-unread") == MENU_SIZE - 1  # the newest one was read
    assert "HD-2026-999999" not in page  # the manager's
    assert f">{MENU_SIZE + 1}<" in page  # the unread count
    assert 'data-testid="menu-mark-all-read"' in page and 'data-testid="notification-menu-all"' in page
    assert "<html" not in page  # a fragment


def test_an_unread_entry_marks_itself_read_and_goes_to_the_ticket(client, users):
    ticket = TicketFactory()
    notification = notify(users["agent"], reference=ticket.reference, ticket=ticket)
    login(client, users["agent"])
    page = client.get(reverse("notifications:menu")).content.decode()
    action = reverse("notifications:mark_read", kwargs={"pk": notification.pk})
    assert f'action="{action}"' in page
    assert f'name="next" value="/tickets/{ticket.reference}/work/"' in page
    response = client.post(action, {"next": f"/tickets/{ticket.reference}/work/"})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    page = client.get(reverse("notifications:menu")).content.decode()
    assert "data-unread" not in page and 'data-testid="menu-mark-all-read"' not in page


def test_an_empty_menu_says_so_in_german(client, users):
    login(client, users["manager"], "de")
    page = client.get(reverse("notifications:menu")).content.decode()
    assert "Noch keine Benachrichtigungen." in page
    assert "Alle Benachrichtigungen" in page


def test_customers_get_no_menu(client, users):
    login(client, users["customer"])
    assert client.get(reverse("notifications:menu")).status_code == 403


def test_every_agent_page_has_the_bell_as_a_dropdown_that_falls_back_to_the_page(client, users):
    login(client, users["agent"])
    page = client.get(reverse("tickets:queue")).content.decode()
    assert 'data-bs-toggle="dropdown"' in page.split('data-testid="notification-menu"')[1]
    assert f'href="{reverse("notifications:list")}" role="button"' in page  # without JavaScript: the page
    assert f'hx-get="{reverse("notifications:menu")}" hx-trigger="show.bs.dropdown"' in page
