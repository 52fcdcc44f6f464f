"""The first journey: every demo role signs in and gets its own navigation."""

import pytest
from django.urls import reverse

from tests.browser.helpers import login

# Staff-only entries a customer or an agent never sees in the navigation.
STAFF = {"admin:index", "dashboard:sla_audit", "privacy:index"}
EXPECTED = {
    "customer": ({"accounts:organisation"}, {"accounts:teams", *STAFF}),
    "reader": ({"accounts:organisation"}, {"accounts:teams", *STAFF}),
    "us-customer": ({"accounts:organisation"}, {"accounts:teams", *STAFF}),
    "pos-customer": ({"accounts:organisation"}, {"accounts:teams", *STAFF}),
    "partner-agent": ({"accounts:teams"}, {"accounts:organisation", *STAFF}),
    "agent": ({"accounts:teams"}, {"accounts:organisation", *STAFF}),
    "manager": ({"accounts:teams", "dashboard:sla_audit"}, {"accounts:organisation", "admin:index", "privacy:index"}),
    "admin": ({"accounts:teams", *STAFF}, {"accounts:organisation"}),
}


@pytest.mark.parametrize("username", EXPECTED)
def test_each_demo_role_signs_in_and_sees_its_navigation(page, live_server, browser_demo, username):
    login(page, live_server, username)
    hrefs = set(page.locator("[data-testid=main-nav] a").evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    shown, hidden = EXPECTED[username]
    for name in shown:
        assert reverse(name) in hrefs
    for name in hidden:
        assert reverse(name) not in hrefs
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url(live_server.url + reverse("login"))


def test_login_page_is_german_and_switches_to_english(page, live_server, browser_demo, settings):
    settings.LANGUAGE_CODE = "de"  # the product's default (the tests' is English)
    page.goto(live_server.url + reverse("login"))
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading").first.inner_text() == "Beim Helpdesk anmelden"
    page.click("[data-testid=language-switch] button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading").first.inner_text() == "Sign in to the helpdesk"


def test_wrong_password_keeps_the_user_name_and_explains(page, live_server, browser_demo):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "customer")
    page.fill("input[name=password]", "falsch")
    page.click("main form button[type=submit]")
    assert page.input_value("input[name=username]") == "customer"
    assert page.locator(".alert-danger, .invalid-feedback, .alert-block").count() >= 1
