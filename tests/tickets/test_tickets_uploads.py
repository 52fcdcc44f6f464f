"""File names and upload checks."""

import pytest
from django.utils import translation

from tests.tickets.conftest import PDF, upload
from tickets.errors import AttachmentRefused
from tickets.uploads import check_upload, sanitize_filename


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Prüfbericht.pdf", "Prüfbericht.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\jürgen\\Größe.xlsx", "Größe.xlsx"),
        ("Zeile\nzwei\t\x00.txt", "Zeilezwei.txt"),
        ("a<b>c:d|e?.pdf", "a_b_c_d_e_.pdf"),
        (".htaccess", "htaccess"),
        ("", "attachment"),
        ("...", "attachment"),
        ("CON.txt", "_CON.txt"),
        ("Mu\u0308ller.pdf", "Müller.pdf"),  # decomposed umlaut becomes one character
    ],
)
def test_sanitize_filename(raw, clean):
    assert sanitize_filename(raw) == clean


def test_long_names_are_cut_but_keep_the_extension():
    name = sanitize_filename("Ä" * 300 + ".pdf")
    assert len(name) == 120 and name.endswith(".pdf") and name.startswith("ÄÄ")


def test_accepted_pdf():
    checked = check_upload(upload())
    assert (checked.name, checked.extension, checked.content_type, checked.size) == (
        "Prüfbericht.pdf", "pdf", "application/pdf", len(PDF),
    )


def test_type_not_on_the_list_is_refused_with_the_list():
    with pytest.raises(AttachmentRefused) as error:
        check_upload(upload("setup.exe", b"MZ"))
    assert error.value.code == "type"
    assert "setup.exe" in error.value.messages[0] and "pdf" in error.value.messages[0]


def test_allow_list_comes_from_the_setting(settings):
    settings.ATTACHMENT_ALLOWED_EXTENSIONS = ["txt"]
    with pytest.raises(AttachmentRefused):
        check_upload(upload())
    assert check_upload(upload("notiz.txt", b"hallo")).content_type == "text/plain"


def test_too_large_is_refused_with_size_and_limit(settings):
    settings.ATTACHMENT_MAX_MB = 0.001  # about 1 KB
    with pytest.raises(AttachmentRefused) as error:
        check_upload(upload(content=PDF + b"0" * 2000))
    assert error.value.code == "size"
    assert "KB" in error.value.messages[0]


def test_program_renamed_to_pdf_is_refused():
    with pytest.raises(AttachmentRefused) as error:
        check_upload(upload("rechnung.pdf", b"MZ\x90\x00\x03"))
    assert error.value.code == "content"


def test_binary_posing_as_text_is_refused():
    with pytest.raises(AttachmentRefused):
        check_upload(upload("log.txt", b"\x7fELF\x02\x01\x00\x00"))


@pytest.mark.parametrize("name", ["start.txt", "fehler.log", "daten.csv", "daten.json", "daten.xml", "mail.eml"])
@pytest.mark.parametrize("script", [b"#!/bin/sh\nrm -rf ~\n", b"#!/usr/bin/env python3\nimport os\n",
                                    b"\xef\xbb\xbf#!/bin/bash\n"])
def test_a_script_with_an_interpreter_line_is_refused_as_a_program(name, script):
    with pytest.raises(AttachmentRefused) as error:
        check_upload(upload(name, script, content_type="text/plain"))
    assert error.value.code == "content"
    assert error.value.messages == [f"“{name}” was not attached: it is a program or a script, and those are not "
                                    "accepted."]


def test_a_script_is_refused_whatever_the_allowed_extension(settings):
    settings.ATTACHMENT_ALLOWED_EXTENSIONS = [*settings.ATTACHMENT_ALLOWED_EXTENSIONS, "dat"]
    with pytest.raises(AttachmentRefused):
        check_upload(upload("messwerte.dat", b"#!/bin/sh\n"))
    assert check_upload(upload("messwerte.dat", b"1;2;3\n")).extension == "dat"


def test_the_program_message_is_translated():
    with translation.override("de"), pytest.raises(AttachmentRefused) as error:
        check_upload(upload("start.txt", b"#!/bin/sh\n"))
    assert error.value.messages == ["„start.txt“ wurde nicht angehängt: Es ist ein Programm oder Skript, und "
                                    "diese werden nicht angenommen."]


def test_text_that_merely_contains_a_hash_bang_is_accepted():
    assert check_upload(upload("notiz.txt", b"Zeile 1\n#!/bin/sh steht erst hier\n")).extension == "txt"
    assert check_upload(upload("notiz.txt", b"# ! keine Interpreterzeile\n")).extension == "txt"


def test_empty_file_is_refused():
    with pytest.raises(AttachmentRefused) as error:
        check_upload(upload("leer.txt", b""))
    assert error.value.code == "empty"


def test_office_files_are_zip_containers():
    assert check_upload(upload("Tabelle.xlsx", b"PK\x03\x04rest")).extension == "xlsx"
    with pytest.raises(AttachmentRefused):
        check_upload(upload("Tabelle.xlsx", b"%PDF-1.4"))


@pytest.mark.parametrize(
    ("size", "beside", "english", "german"),
    [
        (20 * 1024 * 1024, None, "20 MB", "20 MB"),
        (int(20.04 * 1024 * 1024), 20 * 1024 * 1024, "20.04 MB", "20,04 MB"),
        (20 * 1024 * 1024 + 2000, 20 * 1024 * 1024, "20.002 MB", "20,002 MB"),  # not "20.00 MB" beside "20 MB"
        (20 * 1024 * 1024 + 1, 20 * 1024 * 1024, "20.000001 MB", "20,000001 MB"),
        (int(20.999 * 1024 * 1024), None, "21.00 MB", "21,00 MB"),
        (1536, None, "1.50 KB", "1,50 KB"),
        (1100, 1048, "1.07 KB", "1,07 KB"),
        (900, None, "900 bytes", "900 bytes"),
    ],
)
def test_sizes_are_precise_enough_to_differ_from_the_limit(size, beside, english, german):
    from django.utils import translation

    from tickets.uploads import size_text

    with translation.override("en"):
        assert size_text(size, beside=beside) == english
    with translation.override("de"):
        assert size_text(size, beside=beside).replace("Bytes", "bytes") == german


def test_the_oversize_message_names_both_sizes_precisely(settings):
    from django.utils import translation

    settings.ATTACHMENT_MAX_MB = 20
    big = upload("Protokoll.pdf", PDF + b"0" * (int(20.04 * 1024 * 1024) - len(PDF)))
    with translation.override("en"), pytest.raises(AttachmentRefused) as refused:
        check_upload(big)
    assert refused.value.messages[0] == "“Protokoll.pdf” was not attached: it is 20.04 MB, allowed are 20 MB."
