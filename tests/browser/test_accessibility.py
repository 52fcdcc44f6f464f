"""The main pages in German and English have no serious or critical axe-core violations."""

import pytest
from django.urls import reverse

from tests.browser.accessibility import choose_language, report, serious_violations, sign_in
from tickets.demo import first_demo_reference

pytestmark = pytest.mark.browser

# page: (who, URL name, needs the first demo ticket's reference)
PAGES = {
    "login": (None, "login", False),
    "filing form": ("customer", "tickets:create", False),
    "ticket page": ("customer", "tickets:detail", True),
    "queue": ("agent", "tickets:queue", False),
    "workspace": ("agent", "tickets:workspace", True),
    "dashboard": ("manager", "dashboard:index", False),
}


@pytest.fixture
def axe_context(browser, browser_context_args):
    """A context that lets the test inject axe-core despite the Content-Security-Policy (which
    allows no inline script: the product's pages are checked as they are)."""
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context
    context.close()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(axe_context, live_server, browser_demo, name, language):
    username, url_name, with_ticket = PAGES[name]
    if username is None:
        choose_language(axe_context, live_server, language)
    else:
        user = browser_demo["users"][username]
        user.language = language
        user.save(update_fields=["language"])
        sign_in(axe_context, live_server, user)
    kwargs = {"reference": first_demo_reference()} if with_ticket else {}
    page = axe_context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse(url_name, kwargs=kwargs))
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == language
    violations = serious_violations(page)
    assert not violations, f"{name} ({language}):\n{report(violations)}"
    for chart in page.locator("canvas").all():  # every chart has its data as a table
        assert page.locator(f"#{chart.get_attribute('id')}-table table").count() == 1
