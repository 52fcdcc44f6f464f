"""No page breaks its Content-Security-Policy: each role opens its main pages in Chromium, lets
htmx do its first swaps, and neither the console nor a `securitypolicyviolation` event reports a
blocked script, style, image, font or connection."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.helpers import login
from tickets.demo import first_demo_reference

pytestmark = pytest.mark.browser

# Installed before any page script runs; the event names the directive and what was blocked.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `(${event.sourceFile || location.href}:${event.lineNumber})`);
});
"""


def _last_month_report() -> str:
    first = timezone.localdate().replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    return reverse("dashboard:monthly_report", kwargs={
        "customer_number": "10001", "year": previous.year, "month": previous.month,
    })


def _pages(role: str) -> list[str]:
    reference = first_demo_reference()
    return {
        "anonymous": [reverse("login"), reverse("password_reset"), reverse("sla:support_hours"), reverse("api:docs")],
        "customer": [
            reverse("home"), reverse("tickets:list"), reverse("tickets:create"),
            reverse("tickets:detail", kwargs={"reference": reference}), reverse("api_tokens:list"),
        ],
        "agent": [
            reverse("tickets:queue"), reverse("tickets:workspace", kwargs={"reference": reference}),
            reverse("tickets:phone"), reverse("notifications:list"), reverse("held_mail:list"),
        ],
        "manager": [
            reverse("dashboard:index"), reverse("dashboard:monthly"), _last_month_report(),
            reverse("notifications:list"),
        ],
        "admin": [reverse("admin:index"), reverse("admin:tickets_ticket_changelist"), reverse("api:docs")],
    }[role]


@pytest.fixture
def csp_console(page):
    """The page's console errors about the Content-Security-Policy, as they arrive."""
    page.context.add_init_script(RECORD_VIOLATIONS)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    return messages


@pytest.mark.parametrize("role", ["anonymous", "customer", "agent", "manager", "admin"])
def test_main_pages_cause_no_policy_violations(page, live_server, browser_demo, csp_console, role):
    if role != "anonymous":
        login(page, live_server, role)
    violations = {}
    for path in _pages(role):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")  # htmx's load-triggered requests have been swapped in
        found = page.evaluate("window.__cspViolations") + csp_console[:]
        csp_console.clear()
        if found:
            violations[path] = found
    assert violations == {}


def test_filing_form_preview_and_htmx_run_without_eval(page, live_server, browser_demo, csp_console):
    login(page, live_server, "customer")
    page.goto(live_server.url + reverse("tickets:create"))
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    with page.expect_response(lambda response: reverse("tickets:preview") in response.url):
        page.check("#id_severity_0")  # htmx asks the server for the deadline preview and swaps it in
    page.wait_for_selector("[data-testid=preview-deadline], [data-testid=preview-deadline-later]")
    assert page.evaluate("window.__cspViolations") == []
    assert csp_console == []


def test_swagger_ui_renders_under_its_nonce(page, live_server, browser_demo, csp_console):
    response = page.goto(live_server.url + reverse("api:docs"))
    policy = response.headers["content-security-policy"]
    assert "'nonce-" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Helpdesk API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10  # the operations were read from the schema
    assert page.evaluate("window.__cspViolations") == []
    assert csp_console == []


def test_print_button_of_the_monthly_report_prints(page, live_server, browser_demo, csp_console):
    login(page, live_server, "manager")
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto(live_server.url + _last_month_report())
    page.click("[data-testid=print]")
    assert page.evaluate("window.__printed") == 1
    assert csp_console == []
