"""One date and time style per language (helpdesk/formats): the short and the long forms, the
template filters and the deadline format agree in order and clock; English never shows the US
numeric date, "p.m." or abbreviation dots."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, get_format

from accounts.formatting import format_moment

BERLIN = ZoneInfo("Europe/Berlin")
MOMENT = datetime(2026, 12, 7, 14, 58, tzinfo=BERLIN)


def _render(source: str) -> str:
    return Template("{% load tz %}{% timezone 'Europe/Berlin' %}" + source + "{% endtimezone %}").render(
        Context({"moment": MOMENT}))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", {"DATE_FORMAT": "7 December 2026", "DATETIME_FORMAT": "7 December 2026, 14:58",
                "SHORT_DATE_FORMAT": "7 Dec 2026", "SHORT_DATETIME_FORMAT": "7 Dec 2026, 14:58",
                "TIME_FORMAT": "14:58"}),
        ("de", {"DATE_FORMAT": "7. Dezember 2026", "DATETIME_FORMAT": "7. Dezember 2026, 14:58",
                "SHORT_DATE_FORMAT": "07.12.2026", "SHORT_DATETIME_FORMAT": "07.12.2026, 14:58",
                "TIME_FORMAT": "14:58"}),
    ],
)
def test_every_named_format_of_a_language_has_the_same_style(language, expected):
    with translation.override(language):
        for name, text in expected.items():
            assert date_format(MOMENT, name) == text, name
            assert _render('{{ moment|date:"' + name + '" }}') == text, name
        assert _render("{{ moment }}") == expected["DATETIME_FORMAT"]  # a bare datetime, too


def test_english_has_no_us_date_no_am_pm_and_no_abbreviation_dots():
    with translation.override("en"):
        texts = [date_format(MOMENT, name) for name in
                 ("DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "TIME_FORMAT")]
        assert not [text for text in texts if "/" in text or "p.m." in text or "Dec." in text]
        assert get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"  # what forms read is unchanged


@pytest.mark.parametrize(("language", "text"), [("en", "Monday, 7 December 2026, 14:58 CET"),
                                                ("de", "Montag, 7. Dezember 2026, 14:58 CET")])
def test_deadlines_use_the_same_style_with_weekday_and_zone(language, text):
    with translation.override(language):
        assert format_moment(MOMENT, None, BERLIN) == text
        assert date_format(MOMENT, "DATETIME_FORMAT") in text.replace("Monday, ", "").replace("Montag, ", "")
