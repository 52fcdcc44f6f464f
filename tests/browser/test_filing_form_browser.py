"""The filing form in a real browser says what it needs before anything is sent: the asterisks
follow the category, the severity is asked only for faults, a file over the limit is refused
before the upload with precise sizes, a dropped file is taken, and a file chosen before an error
is still chosen afterwards (the form is sent by htmx, which shows the upload's progress)."""

import re

import pytest
from django.urls import reverse

from tests.browser.helpers import login

pytestmark = pytest.mark.browser
MEGABYTE = 1024 * 1024


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


def _form(page, live_server):
    login(page, live_server, "customer")
    page.goto(live_server.url + reverse("tickets:create"))
    return page


def _marked(page, name: str) -> bool:
    wrapper = page.locator(f"#div_id_{name}")
    return wrapper.locator("legend .asteriskField, label.form-label .asteriskField").count() == 1


def test_the_marks_and_the_severity_follow_the_category(page, live_server, browser_demo):
    _form(page, live_server)
    for name in ("severity", "affected_system", "occurring_since", "impact"):
        assert _marked(page, name), name
    assert not _marked(page, "steps_to_reproduce")
    assert page.locator("#div_id_severity").is_visible()

    page.select_option("select[name=category]", "question")
    assert not page.locator("#div_id_severity").is_visible()
    for name in ("affected_system", "occurring_since", "impact"):
        assert not _marked(page, name), name
        assert page.get_attribute(f"[name={name}]", "aria-required") == "false"
    assert _marked(page, "subject")  # always required

    page.select_option("select[name=category]", "fault")
    assert page.locator("#div_id_severity").is_visible() and _marked(page, "impact")
    page.check("input[name=severity][value=severe]")
    page.wait_for_selector("[data-testid=preview-deadline], [data-testid=preview-deadline-later]")
    assert not page.locator("[data-upload-progress]").is_visible()  # the preview's request is no upload
    assert page.get_attribute("[name=impact]", "aria-required") == "true"


def test_a_file_over_the_limit_is_refused_before_the_upload(page, live_server, browser_demo, settings, tmp_path):
    settings.ATTACHMENT_MAX_MB = 1
    _form(page, live_server)
    assert "Höchstens 1 MB pro Datei." in page.inner_text("#div_id_attachments")
    big = tmp_path / "Messwerte.txt"
    big.write_bytes(b"x" * int(1.04 * MEGABYTE))
    small = tmp_path / "Notiz.txt"
    small.write_text("Fehler 42\n", encoding="utf-8")
    page.set_input_files("input[name=attachments]", [str(big), str(small)])
    assert page.inner_text("[data-testid=size-errors]") == (
        "„Messwerte.txt“ wurde nicht angehängt: Die Datei hat 1,04 MB, erlaubt sind 1 MB.")
    assert page.evaluate("document.querySelector('input[name=attachments]').files.length") == 1


def test_a_dropped_file_is_taken(page, live_server, browser_demo):
    _form(page, live_server)
    page.evaluate("""() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(["Fehler 42"], "Protokoll.txt", {type: "text/plain"}));
        const zone = document.querySelector("[data-dropzone]");
        zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""")
    names = page.evaluate("[...document.querySelector('input[name=attachments]').files].map(f => f.name)")
    assert names == ["Protokoll.txt"]
    assert page.locator("[data-dropzone-hint]").is_visible()


def test_a_file_chosen_before_an_error_is_still_there_and_is_filed(page, live_server, browser_demo, private_media,
                                                                      tmp_path):
    _form(page, live_server)
    log = tmp_path / "Protokoll Größe.txt"
    log.write_text("07:10 Zeitüberschreitung\n", encoding="utf-8")
    page.check("input[name=severity][value=minor]")
    page.fill("input[name=subject]", "Leitstand friert ein")
    page.fill("input[name=affected_system]", "Leitstand Halle 3")
    page.fill("textarea[name=description]", "Nach dem Anmelden reagiert nichts mehr.")
    page.fill("input[name=occurring_since]", "heute 07:10")
    page.set_input_files("input[name=attachments]", str(log))
    page.click("[data-testid=file-ticket]")  # the impact is missing
    page.wait_for_selector("#div_id_impact .invalid-feedback")
    assert "Bitte beschreiben Sie die Auswirkung." in page.inner_text("#div_id_impact")
    assert page.evaluate("document.activeElement.name") == "impact"  # the first error has the focus
    assert page.evaluate("document.querySelector('input[name=attachments]').files[0].name") == "Protokoll Größe.txt"
    assert page.locator("[data-testid=files-lost]").count() == 0
    assert page.input_value("input[name=subject]") == "Leitstand friert ein"

    page.fill("textarea[name=impact]", "Halle 3 steht.")
    page.click("[data-testid=file-ticket]")
    page.wait_for_url(re.compile(r".*/tickets/HD-\d{4}-\d{6}/$"))
    assert "wurde gemeldet" in page.inner_text(".messages")
    assert page.locator("[data-testid=attachment-link]", has_text="Protokoll Größe.txt").count() == 1
