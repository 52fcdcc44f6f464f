"""The bell: an escalation shows up as an unread count for the manager, the list says what
happened in German, and opening it leads to the ticket and clears the count."""

import pytest
from django.utils import timezone

from tests.browser.helpers import login

pytestmark = pytest.mark.browser


def test_an_escalation_rings_the_managers_bell_until_it_is_read(page, live_server, browser_demo):
    from escalation.services import escalation_scan
    from tickets.models import Ticket

    ticket = Ticket.objects.exclude(next_escalation_at=None).order_by("next_escalation_at").first()
    fired = escalation_scan(now=max(timezone.now(), ticket.next_escalation_at))
    assert any(f.reference == ticket.reference for f in fired)
    login(page, live_server, "manager")
    badge = page.locator("[data-testid=notification-count]")
    badge.wait_for()
    count = int(badge.inner_text().split()[0])
    assert count >= 1
    page.click("[data-testid=notification-bell]")
    item = page.locator("[data-testid=notification]", has_text=ticket.reference).first
    assert "Die Reaktion auf" in item.inner_text() or "Reaktionsfrist" in item.inner_text()
    item.locator("[data-testid=notification-ticket]").click()
    page.wait_for_url(f"**/tickets/{ticket.reference}/**")
    page.goto(live_server.url + "/notifications/")
    assert page.locator("[data-testid=notification][data-unread]").count() == count - 1
