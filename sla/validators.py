"""Field validators of the SLA models. Referenced by the migrations: keep their paths stable."""

from functools import cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .targets import target_parse

MINUTES_PER_DAY = 24 * 60


def validate_time_zone(value: str) -> None:
    """An IANA time zone name such as Europe/Berlin."""
    if value not in _zones():
        raise ValidationError(
            _("“%(value)s” is not a known IANA time zone, e.g. Europe/Berlin or America/New_York."),
            code="unknown_time_zone",
            params={"value": value},
        )


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_target(value: str) -> None:
    """A target in the engine's notation: 6h, 90m, 3600s, 1.5d."""
    target_parse(value)


def validate_minute_of_day(value: int) -> None:
    if value is None or not 0 <= value <= MINUTES_PER_DAY:
        raise ValidationError(
            _("Enter a time between 00:00 and 24:00."), code="minute_out_of_range"
        )
