"""The audit trail of the SLA configuration in the browser: an administrator changes a closure in the
admin, then finds the change with its old and new values on the audit page and filters it; a manager
reads the same entry in English."""

from django.urls import reverse

from tests.browser.helpers import login


def _change_closure_in_the_admin(page, live_server):
    from sla.models import Closure

    closure = Closure.objects.get(reason="Betriebsferien")
    page.goto(live_server.url + reverse("admin:sla_calendar_change", args=[closure.calendar_id]))
    page.locator("input[name$='-reason'][value='Betriebsferien']").fill("Weihnachtspause")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:sla_calendar_changelist"))


def test_an_admin_changes_a_closure_and_finds_it_on_the_audit_page_in_german(page, live_server, browser_demo):
    login(page, live_server, "admin")
    _change_closure_in_the_admin(page, live_server)

    page.goto(live_server.url + reverse("home"))
    page.locator("[data-testid=main-nav]").get_by_role("link", name="SLA-Audit").click()
    page.wait_for_url(live_server.url + reverse("dashboard:sla_audit"))
    assert page.get_by_role("heading", level=1).inner_text() == "Audit der SLA-Konfiguration"

    page.select_option("select[name=kind]", "closure")
    page.fill("input[name=object]", "Weihnacht")
    page.click("[data-testid=apply-filters]")
    page.wait_for_url("**/dashboard/sla-audit/?*")
    rows = page.locator("[data-testid=audit-row]")
    assert rows.count() == 1
    row = rows.first
    assert row.locator("[data-testid=audit-action]").inner_text() == "geändert"
    assert "Ada Admin" in row.inner_text() and "Administration" in row.inner_text()
    reason = row.locator("[data-testid=audit-field-reason]")
    assert reason.locator("[data-testid=old]").inner_text() == "Betriebsferien"
    assert reason.locator("[data-testid=new]").inner_text() == "Weihnachtspause"

    page.select_option("select[name=actor]", "system")
    page.click("[data-testid=apply-filters]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=audit-row]").count() == 0
    assert page.locator("[data-testid=no-changes]").inner_text() == "Keine Änderung passt zu diesem Filter."


def test_a_manager_reads_the_change_in_english(page, live_server, browser_demo):
    login(page, live_server, "admin")
    _change_closure_in_the_admin(page, live_server)
    page.click("#logout-form button, form[action$='logout/'] button")
    page.wait_for_load_state()

    login(page, live_server, "manager")
    page.click("[data-testid=language-switch] button[value=en]")
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("dashboard:sla_audit") + "?kind=closure")
    assert page.get_by_role("heading", level=1).inner_text() == "SLA configuration audit"
    page.select_option("select[name=actor]", label="Ada Admin")
    page.click("[data-testid=apply-filters]")
    page.wait_for_url("**/dashboard/sla-audit/?*")
    row = page.locator("[data-testid=audit-row]").first
    assert row.locator("[data-testid=audit-action]").inner_text() == "changed"
    assert "administration" in row.inner_text()
    reason = row.locator("[data-testid=audit-field-reason]")
    assert (reason.locator("[data-testid=old]").inner_text(), reason.locator("[data-testid=new]").inner_text()) == (
        "Betriebsferien", "Weihnachtspause")
    assert "reason" in row.inner_text()
