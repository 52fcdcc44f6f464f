"""German dates and times: one style everywhere (FORMAT_MODULE_PATH, docs/architecture.md):
day before month, 24-hour clock, a comma between date and time. The long style with weekday and
time zone (deadlines) is `accounts.formatting.format_moment`."""

from django.conf.locale.de.formats import *  # noqa: F403 (input formats, separators)

DATE_FORMAT = "j. F Y"  # 7. Dezember 2026
TIME_FORMAT = "H:i"  # 14:58
DATETIME_FORMAT = "j. F Y, H:i"  # 7. Dezember 2026, 14:58
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y"  # 07.12.2026
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"  # 07.12.2026, 14:58
