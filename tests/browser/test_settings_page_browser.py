"""The notification settings page as a manager uses it: reached from the user menu, in German;
escalations can go into the daily digest but not be switched off."""

import pytest
from django.urls import reverse

from tests.browser.helpers import login

pytestmark = pytest.mark.browser


def test_a_manager_bundles_breaches_into_the_daily_digest(page, live_server, browser_demo):
    from accounts.models import User
    from notifications.preferences import mail_mode

    login(page, live_server, "manager")
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=notification-settings-link]")
    page.wait_for_url(live_server.url + reverse("notification_settings:edit"))
    assert page.get_by_role("heading", name="Benachrichtigungseinstellungen").is_visible()
    assert page.locator("input[name=escalation_breach][value=off]").count() == 0
    page.check("input[name=escalation_breach][value=digest]")
    page.check("input[name=ticket_new_in_team][value=mail]")
    page.click("[data-testid=notification-settings] button[type=submit]")
    page.get_by_text("Ihre Benachrichtigungseinstellungen wurden gespeichert.").wait_for()
    assert page.locator("input[name=escalation_breach][value=digest]").is_checked()
    manager = User.objects.get(username="manager")
    assert mail_mode(manager, "escalation_breach") == "digest"
    assert mail_mode(manager, "ticket_new_in_team") == "mail"
