"""The German and English catalogues ship complete and compiled."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["de", "en"])
def test_catalogue_exists_and_is_compiled(language):
    assert (LOCALE / language / "LC_MESSAGES" / "django.po").exists()
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


def test_german_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(LOCALE / "de" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated German entries: {untranslated[:20]}"
    assert fuzzy == [], f"fuzzy German entries: {fuzzy[:20]}"


@pytest.mark.parametrize("language", ["de", "en"])
def test_compiled_catalogue_matches_its_source(language):
    """A .po edited without running compilemessages would ship stale translations."""
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    stale = [
        e.msgid for e in po.translated_entries()
        if compiled.get((e.msgctxt, e.msgid)) != (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
    ]
    assert stale == [], f"run `manage.py compilemessages`: {stale[:10]}"


def test_every_translatable_string_is_in_the_catalogue(tmp_path):
    """makemessages was run after the last template or code change.

    Extraction runs in a scratch directory of symlinks to the sources, so the shipped
    catalogue is never touched by the test."""
    import subprocess
    import sys

    base = Path(settings.BASE_DIR)
    for name in ("accounts", "sla", "notifications", "tickets", "escalation", "privacy", "reports", "api", "core",
                 "helpdesk", "templates"):
        if (base / name).exists():
            (tmp_path / name).symlink_to(base / name)
    (tmp_path / "locale" / "de" / "LC_MESSAGES").mkdir(parents=True)
    code = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.management import call_command;"
        f"settings.LOCALE_PATHS = [{str(tmp_path / 'locale')!r}];"
        "call_command('makemessages', locale=['de'], symlinks=True, verbosity=0)"
    )
    subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(base), "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
             "HELPDESK_VAR_DIR": str(tmp_path / "var")},
    )
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(tmp_path / "locale/de/LC_MESSAGES/django.po"))}
    assert ("", "Sign in to the helpdesk") in {(c or "", m) for c, m in fresh}  # extraction really ran
    shipped = {(e.msgctxt, e.msgid) for e in polib.pofile(str(LOCALE / "de" / "LC_MESSAGES" / "django.po"))}
    missing = sorted(m for _, m in fresh - shipped)
    assert missing == [], f"run `make makemessages` and translate: {missing[:20]}"
