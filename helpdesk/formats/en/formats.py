"""English dates and times: one style everywhere (FORMAT_MODULE_PATH, docs/architecture.md), the
same order and clock as the German one and as the deadlines ("Monday, 7 December 2026, 14:58
CET"): day before month, month as a word (never the ambiguous 12/07/2026), 24-hour clock, no
"p.m." and no abbreviation dots ("Nov.")."""

from django.conf.locale.en.formats import *  # noqa: F403 (input formats, separators)

DATE_FORMAT = "j F Y"  # 7 December 2026
TIME_FORMAT = "H:i"  # 14:58
DATETIME_FORMAT = "j F Y, H:i"  # 7 December 2026, 14:58
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"  # 7 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 7 Dec 2026, 14:58
