"""The `holidays` package, seen from the calendars: which regions exist, and the public
holidays of a region in German and English."""

from datetime import date
from functools import cache

import holidays
from django.utils.translation import gettext as _


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
    return None  # the country's own default language


def public_holidays(*, country: str, subdivision: str, years: range) -> dict[date, tuple[str, str]]:
    """{date: (German name, English name)} of the public holidays in `years`."""
    year_list = list(years)
    kwargs = {"subdiv": subdivision or None, "years": year_list, "categories": ("public",)}
    probe = holidays.country_holidays(country, **kwargs)
    german = holidays.country_holidays(country, language=_language(probe, ("de",)), **kwargs)
    english = holidays.country_holidays(country, language=_language(probe, ("en_US", "en", "en_GB")), **kwargs)
    return {
        day: (german.get(day) or english[day], english.get(day) or german[day])
        for day in sorted(set(german) | set(english))
        if day.year in years
    }
