"""Data protection in the browser: the admin erases a contact (German), downloads an export
(English) and sets a retention period in the administration (both languages)."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from tests.browser.helpers import login


def _admin_in(language: str):
    from accounts.models import User

    User.objects.filter(username="admin").update(language=language)


def _open_person(page, live_server, username: str):
    page.goto(live_server.url + reverse("privacy:index"))
    page.fill("input[name=q]", username)
    page.click("[data-testid=person-search] button[type=submit]")
    page.click(f"[data-testid=people] a:text-is('{username}')")
    page.wait_for_selector("[data-testid=person-username]")


def test_admin_erases_a_contact_after_typing_the_user_name_in_german(page, live_server, browser_demo, settings):
    from accounts.models import User
    from privacy.models import Erasure

    settings.LANGUAGE_CODE = "de"  # the installation's language: the placeholder name is stored in it
    _admin_in("de")
    login(page, live_server, "admin")
    page.click("[data-testid=main-nav] a:has-text('Datenschutz')")
    _open_person(page, live_server, "pos-customer")
    person = User.objects.get(username="pos-customer")

    page.fill("textarea[name=reason]", "Antrag per Brief vom 1. Dezember")
    page.fill("input[name=confirmation]", "pos-kunde")  # mistyped: nothing happens
    page.click("[data-testid=erase]")
    assert page.locator(".invalid-feedback").inner_text() == "Bitte den Benutzernamen genau wie angezeigt eingeben."
    assert not Erasure.objects.exists()

    page.fill("input[name=confirmation]", "pos-customer")
    page.click("[data-testid=erase]")
    page.wait_for_selector("[data-testid=erased]")
    assert "Die Daten der Person wurden gelöscht." in page.content()
    assert page.locator("[data-testid=person-name]").inner_text() == f"Gelöschte Person {person.pk}"
    erasure = Erasure.objects.get()
    assert (erasure.person_id, erasure.actor.username) == (person.pk, "admin")


def test_admin_downloads_an_export_in_english(page, live_server, browser_demo):
    from privacy.models import DataExport

    _admin_in("en")
    login(page, live_server, "admin")
    _open_person(page, live_server, "customer")
    assert page.locator("[data-testid=export]").inner_text() == "Download the data"
    with page.expect_download() as info:
        page.click("[data-testid=export]")
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    assert json.loads(archive.read("profile.json"))["username"] == "customer"
    assert json.loads(archive.read("tickets.json"))
    assert DataExport.objects.get().actor.username == "admin"


@pytest.mark.parametrize(("language", "heading", "saved"), [
    ("de", "Aufbewahrungsregel hinzufügen", "erfolgreich hinzugefügt"),
    ("en", "Add retention rule", "was added successfully"),
])
def test_admin_sets_a_retention_period(page, live_server, browser_demo, language, heading, saved):
    from privacy.models import RetentionRule

    _admin_in(language)
    login(page, live_server, "admin")
    page.goto(live_server.url + reverse("privacy:index"))
    page.click("[data-testid=retention-link]")
    page.click(".object-tools a.addlink")
    assert page.locator("#content h1").inner_text() == heading
    page.click(".field-organisation .select2-selection")
    page.fill(".select2-search__field", "Müller")
    page.click(".select2-results__option:has-text('Müller Maschinenbau')")
    page.fill("input[name=closed_ticket_days]", "365")
    page.click("input[name=_save]")
    assert saved in page.locator(".messagelist").inner_text()
    rule = RetentionRule.objects.get()
    assert (rule.organisation.customer_number, rule.closed_ticket_days) == ("10001", 365)
