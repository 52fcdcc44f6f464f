"""A visitor who is not signed in finds the published support hours from the footer and reads
them in German or English."""

from django.urls import reverse


def test_visitor_opens_support_hours_from_the_footer_and_switches_language(page, live_server, browser_demo,
                                                                          settings):
    settings.LANGUAGE_CODE = "de"  # the product's default (the tests' is English)
    page.goto(live_server.url + reverse("login"))
    page.locator("footer").get_by_role("link", name="Supportzeiten").click()
    page.wait_for_url(live_server.url + reverse("sla:support_hours"))
    assert page.get_by_role("heading", level=1).inner_text() == "Supportzeiten"
    desk = page.locator("[data-testid=desk]", has=page.get_by_role("heading", name="Support Deutschland"))
    assert desk.get_by_role("row", name="Freitag").inner_text().split() == ["Freitag", "09:00\u201316:00"]
    assert desk.get_by_role("row", name="Samstag").inner_text().split() == ["Samstag", "geschlossen"]
    assert page.locator("[data-testid=desk]").count() == 2  # the POS desk of one contract is not published
    assert "Alle Zeiten nach Ortszeit Berlin" in desk.inner_text()

    page.click("[data-testid=language-switch] button[value=en]")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Support hours"
    desk = page.locator("[data-testid=desk]", has=page.get_by_role("heading", name="Support North America"))
    assert desk.get_by_role("row", name="Friday").inner_text().split() == ["Friday", "09:00\u201317:00"]
    assert "All times in New York time" in desk.inner_text()
