"""The API's text formats, each one regular expression that the server checks and the schema states
as `pattern`: what the schema allows is what the server accepts, and nothing else.

Texts (`text_pattern`): no NUL character (the database cannot store it), and, where a text is
required, at least one character that is not white space (surrounding white space is removed).
White space is what Python's `str.strip()` removes, written out, so that the pattern means the same
in every regular-expression dialect.

Instants (`INSTANT_PATTERN`): ISO 8601 / RFC 3339 with seconds and an offset (`Z` or ±hh:mm),
years 1900 to 2200 as written, days that exist (29 February in leap years only)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

# Every character for which str.isspace() is true (tests/api/test_api_strictness.py checks the list).
WHITE_SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = rf"^[^\x00]*[^{WHITE_SPACE}\x00][^\x00]*$"

YEAR = r"(19[0-9]{2}|2[01][0-9]{2}|2200)"
LEAP_YEAR = r"((19|20|21)(0[48]|[2468][048]|[13579][26])|2000)"  # 1900, 2100 and 2200 are not
DAY = (r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
       r"|02-(0[1-9]|1[0-9]|2[0-8]))")
DATE = rf"({YEAR}-{DAY}|{LEAP_YEAR}-02-29)"
TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?"
OFFSET = r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
INSTANT_PATTERN = rf"^{DATE}T{TIME}{OFFSET}$"
# The deadline preview's start: like an instant, but the offset may be left out (then the calendar's
# zone), and its + may arrive as a space (a + sent unencoded in a query string).
LOCAL_INSTANT_PATTERN = rf"^{DATE}T{TIME}(Z|[-+ ]([01][0-9]|2[0-3]):[0-5][0-9])?$"
# An SLA target: a positive number and a unit (s, m, h or d), e.g. 6h, 90m or 1.5d.
TARGET_PATTERN = rf"^[{WHITE_SPACE}]*\+?([0-9]*[1-9][0-9]*(\.[0-9]+)?|[0-9]+\.[0-9]*[1-9][0-9]*)[smhd][{WHITE_SPACE}]*$"
FIRST_YEAR, LAST_YEAR = 1900, 2200
INSTANT_MESSAGE = _("Enter a date and time with seconds and an offset, e.g. 2026-12-23T15:30:00+01:00, "
                    "between the years %(first)s and %(last)s.")

_INSTANT = re.compile(INSTANT_PATTERN)
_LOCAL_INSTANT = re.compile(LOCAL_INSTANT_PATTERN)


def text_pattern(*, blank: bool) -> str:
    return NO_NUL if blank else NOT_BLANK


def instant_parse(text: str, *, offset_required: bool = True) -> datetime | None:
    """The instant `text` names (aware; naive when the offset may be and is left out), or None when
    it does not match the pattern or names no day (30 February)."""
    if not isinstance(text, str) or not (_INSTANT if offset_required else _LOCAL_INSTANT).match(text):
        return None
    try:
        return parse_datetime(text)
    except ValueError:
        return None


def instant_utc(text: str) -> datetime | None:
    """An instant with its offset, in UTC; None when `text` is not one."""
    value = instant_parse(text)
    return value.astimezone(UTC) if value is not None else None
