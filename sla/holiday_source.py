"""The `holidays` package, seen from the calendars: which regions exist, and the public
holidays of a region in German and English."""

from datetime import date
from functools import cache

import holidays
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# English names of public holidays for which `holidays` has no German (the US federal holidays,
# for the demo's New York desk); translated in locale/de like every other text. A name that is
# not listed stays English.
ENGLISH_ONLY_NAMES = (
    gettext_noop("New Year's Day"),
    gettext_noop("Martin Luther King Jr. Day"),
    gettext_noop("Washington's Birthday"),
    gettext_noop("Memorial Day"),
    gettext_noop("Juneteenth National Independence Day"),
    gettext_noop("Independence Day"),
    gettext_noop("Labor Day"),
    gettext_noop("Columbus Day"),
    gettext_noop("Veterans Day"),
    gettext_noop("Thanksgiving Day"),
    gettext_noop("Christmas Day"),
)
OBSERVED_SUFFIX = " (observed)"


@cache
def _supported() -> dict[str, tuple[str, ...]]:
    return {code: tuple(subdivs) for code, subdivs in holidays.list_supported_countries().items()}


def holiday_region_errors(country: str, subdivision: str) -> dict[str, str]:
    """Field errors for a country/subdivision pair the `holidays` package cannot provide."""
    if not country:
        return {"holiday_subdivision": _("Choose a holiday country first.")} if subdivision else {}
    supported = _supported()
    if country not in supported:
        return {"holiday_country": _("No public holiday data is available for “%(code)s”.") % {"code": country}}
    if subdivision and subdivision not in supported[country]:
        return {
            "holiday_subdivision": _("“%(subdivision)s” is not a subdivision of %(country)s. Known: %(known)s.")
            % {"subdivision": subdivision, "country": country, "known": ", ".join(supported[country])}
        }
    return {}


def _language(entity, wanted: tuple[str, ...]) -> str | None:
    for code in wanted:
        if code in entity.supported_languages:
            return code
    return None  # the package's default


def german_name(english: str) -> str | None:
    """Our German name of a holiday that `holidays` names in English only ("… (observed)": the
    substitute day of a holiday on a weekend), or None when we have none."""
    base, observed = english, english.endswith(OBSERVED_SUFFIX)
    if observed:
        base = english[: -len(OBSERVED_SUFFIX)]
    if base not in ENGLISH_ONLY_NAMES:
        return None
    with translation.override("de"):
        name = _(base)
        return _("%(holiday)s (substitute day)") % {"holiday": name} if observed else name


def public_holidays(*, country: str, subdivision: str, years: range) -> dict[date, tuple[str, str]]:
    """{date: (German name, English name)} of the public holidays in `years`. Without German in the
    package: our translation of the English name (`german_name`), else the English name."""
    kwargs = {"subdiv": subdivision or None, "years": list(years), "categories": ("public",)}
    probe = holidays.country_holidays(country, **kwargs)
    english = holidays.country_holidays(country, language=_language(probe, ("en_US", "en", "en_GB")), **kwargs)
    if _language(probe, ("de",)) is None:
        german = {day: german_name(name) or name for day, name in english.items()}
    else:
        german = holidays.country_holidays(country, language="de", **kwargs)
    return {
        day: (german.get(day) or english[day], english.get(day) or german[day])
        for day in sorted(set(german) | set(english))
        if day.year in years
    }
