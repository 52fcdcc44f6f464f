"""The bell opens a dropdown with the latest notifications (loaded by htmx when it opens), with the
keyboard alone: Enter opens it, the arrow keys move through the entries, Escape closes it; the
page of all notifications stays one entry away."""

import pytest
from django.urls import reverse

from tests.browser.helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def notified(browser_demo):
    from escalation.kinds import SLA_ESCALATION
    from notifications import services
    from tickets.models import Ticket

    agent = browser_demo["users"]["agent"]
    ticket = Ticket.objects.order_by("pk").first()
    for level in ("warning", "breach"):
        services.notification_create(
            recipient=agent, kind=SLA_ESCALATION, ticket=ticket,
            payload={"target": "reaction", "level": level, "due_at": "2026-03-02T14:00:00+00:00",
                     "level_at": "2026-03-02T14:00:00+00:00", "left_seconds": None, "reference": ticket.reference},
        )
    return ticket


def test_the_bell_opens_the_latest_notifications_with_the_keyboard(page, live_server, notified):
    login(page, live_server, "agent")
    page.locator("[data-testid=notification-count]").wait_for()
    unread = int(page.inner_text("[data-testid=notification-count]").split()[0])
    bell = page.locator("[data-testid=notification-bell]")
    bell.focus()
    page.keyboard.press("Enter")
    menu = page.locator("#notification-menu-items")
    menu.locator("[data-testid=notification]").first.wait_for()
    assert menu.is_visible() and bell.get_attribute("aria-expanded") == "true"
    assert 2 <= unread <= menu.locator("[data-testid=notification]").count() <= 8
    assert menu.locator("[data-testid=notification][data-unread]").count() == unread
    assert notified.reference in menu.inner_text()
    assert page.url.endswith(reverse("home"))  # the page stays

    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.closest('[data-testid=notification]') !== null")
    assert focused
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.dataset.testid") == "notification-bell"


def test_an_entry_marks_itself_read_and_opens_the_ticket(page, live_server, notified):
    login(page, live_server, "agent")
    page.locator("[data-testid=notification-count]").wait_for()
    unread = int(page.inner_text("[data-testid=notification-count]").split()[0])
    page.click("[data-testid=notification-bell]")
    page.locator("#notification-menu-items [data-testid=notification-ticket]").first.click()
    page.wait_for_url(f"**/tickets/{notified.reference}/**")
    page.click("[data-testid=notification-bell]")
    menu = page.locator("#notification-menu-items")
    menu.locator("[data-testid=notification]").first.wait_for()
    assert menu.locator("[data-testid=notification][data-unread]").count() == unread - 1
    menu.locator("[data-testid=notification-menu-all]").click()
    page.wait_for_url(live_server.url + reverse("notifications:list"))
