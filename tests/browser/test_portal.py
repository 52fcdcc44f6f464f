"""The customer portal in a real browser: filing a severe fault, replying with a file, what a
reader may not do, and another organisation's ticket being a 404."""

import re

import pytest
from django.urls import reverse

from tests.browser.helpers import login

REFERENCE = re.compile(r"^HD-\d{4}-\d{6}$")


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


def test_customer_files_a_severe_fault_and_replies_with_a_file(page, live_server, private_media, browser_demo,
                                                                tmp_path):
    login(page, live_server, "customer")
    create_url = reverse("tickets:create")
    page.click(f"[data-testid=main-nav] a[href='{create_url}']")
    page.wait_for_url(live_server.url + create_url)

    page.select_option("select[name=category]", "fault")
    page.check("input[name=severity][value=severe]")
    # The preview is fetched by htmx when the severity changes: the reaction deadline of Müller's
    # contract (severe: 6 business hours on de-nrw-standard), before anything is sent.
    page.wait_for_selector("[data-testid=preview-deadline]")
    assert "reagieren wir bis" in page.inner_text("[data-testid=preview-deadline]")
    assert "erheblich" in page.inner_text("[data-testid=deadline-preview]")  # the contract's severe wording

    page.fill("input[name=subject]", "Fertigungsleitstand friert ein")
    page.fill("input[name=affected_system]", "Leitstand Halle 3, Version 7.2")
    page.fill("textarea[name=description]", "Nach dem Anmelden reagiert der Leitstand nicht mehr.")
    page.fill("input[name=occurring_since]", "heute 07:10")
    page.fill("textarea[name=steps_to_reproduce]", "1. Anmelden\n2. Auftragsliste öffnen")
    page.fill("textarea[name=impact]", "Halle 3 kann keine Aufträge starten.")
    page.click("[data-testid=file-ticket]")

    page.wait_for_url(re.compile(r".*/tickets/HD-\d{4}-\d{6}/$"))
    reference = page.inner_text("header [data-testid=ticket-reference]").strip()
    assert REFERENCE.match(reference)
    assert reference in page.inner_text(".messages")
    # The ticket page shows the deadline the ticket got, in German and the desk's time zone
    promise = page.locator("[data-testid=promise]")
    assert promise.is_visible() and promise.get_attribute("data-promise") == "due"
    assert re.search(r"Reaktion bis \w+, \d+\. \w+ \d{4}, \d{2}:\d{2} (MEZ|MESZ|CET|CEST)", promise.inner_text())
    assert page.inner_text("header [data-testid=severity]") == "Schwerwiegend"

    log = tmp_path / "Protokoll Größe.txt"
    log.write_text("07:10 Leitstand: Zeitüberschreitung beim Laden der Aufträge\n", encoding="utf-8")
    page.fill("textarea[name=body]", "Anbei das Protokoll des Leitstands.")
    page.set_input_files("input[name=attachments]", str(log))
    page.click("[data-testid=reply-submit]")
    page.wait_for_selector("[data-testid=timeline-comment] >> text=Anbei das Protokoll des Leitstands.")
    link = page.locator("[data-testid=attachment-link]", has_text="Protokoll Größe.txt")
    assert link.count() == 1

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Protokoll Größe.txt"


def test_reader_cannot_file_or_reply(page, live_server, private_media, browser_demo):
    login(page, live_server, "reader")
    hrefs = page.locator("[data-testid=main-nav] a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert reverse("tickets:list") in hrefs and reverse("tickets:create") not in hrefs

    page.goto(live_server.url + reverse("tickets:create"))
    forbidden = page.locator("[data-testid=forbidden]")
    assert forbidden.is_visible()
    assert "die registrierte Support-Ansprechperson Ihrer Organisation" in forbidden.inner_text()

    page.goto(live_server.url + reverse("tickets:list"))
    assert page.locator("[data-testid=new-ticket]").count() == 0
    page.locator("[data-testid=ticket-reference]").first.click()
    page.wait_for_selector("[data-testid=timeline]")
    assert page.locator("[data-testid=reply-form]").count() == 0
    assert page.locator("[data-testid=read-only]").is_visible()


def test_customer_of_another_organisation_gets_404_for_the_ticket_url(page, live_server, private_media,
                                                                     browser_demo):
    from tickets.demo import first_demo_reference

    url = live_server.url + reverse("tickets:detail", kwargs={"reference": first_demo_reference()})
    login(page, live_server, "customer")
    response = page.goto(url)
    assert response.status == 200
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")

    login(page, live_server, "us-customer")
    response = page.goto(url)
    assert response.status == 404
    assert page.locator("[data-testid=not-found]").is_visible()
