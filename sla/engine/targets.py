"""SLA targets: a business duration (``6h``) or a number of working days (``1.5d``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .errors import TargetError

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}
_TARGET = re.compile(r"(?P<sign>[+-]?)(?P<number>[0-9]+(?:\.[0-9]+)?)(?P<unit>[A-Za-z]*)")


@dataclass(frozen=True)
class Target:
    """Exactly one of ``seconds`` (business duration) or ``days`` (working days), positive."""

    seconds: int | None = None
    days: Fraction | None = None

    def __post_init__(self) -> None:
        if (self.seconds is None) == (self.days is None):
            raise TargetError("a target is either seconds or working days, not both or neither")
        if self.seconds is not None:
            object.__setattr__(self, "seconds", whole_seconds(self.seconds))
        else:
            days = exact_days(self.days)
            if not _is_decimal(days):
                raise TargetError(f"working days {days} are not a finite decimal number")
            object.__setattr__(self, "days", days)

    @property
    def is_working_days(self) -> bool:
        """True for a working-day target, False for a business duration."""
        return self.days is not None

    def __str__(self) -> str:
        if self.days is not None:
            return f"{_decimal_text(self.days)}d"
        for unit, size in (("h", 3600), ("m", 60)):
            if self.seconds % size == 0:
                return f"{self.seconds // size}{unit}"
        return f"{self.seconds}s"


def parse_target(text: str) -> Target:
    """Read ``6h``, ``90m``, ``3600s``, ``0.25h``, ``1.5d``, ``10d`` exactly (no floats)."""
    match = _TARGET.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise TargetError(f"cannot read target {text!r}: expected a number and a unit (s, m, h or d), e.g. 6h or 1.5d")
    unit = match["unit"]
    if not unit:
        raise TargetError(f"target {text!r} has no unit: use s, m, h or d")
    if unit not in _UNIT_SECONDS and unit != "d":
        raise TargetError(f"target {text!r} has unknown unit {unit!r}: use s, m, h or d")
    value = Fraction(match["number"])
    if match["sign"] == "-" or value == 0:
        raise TargetError(f"target {text!r} must be positive")
    if unit == "d":
        return Target(days=value)
    seconds = value * _UNIT_SECONDS[unit]
    if seconds.denominator != 1:
        raise TargetError(f"target {text!r} is not a whole number of seconds ({float(seconds):g} s)")
    return Target(seconds=int(seconds))


def whole_seconds(value: object) -> int:
    """Check a business duration: a positive int number of seconds."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, (Fraction, Decimal)) and value == int(value):
            value = int(value)
        else:
            raise TargetError(f"a business duration must be a whole number of seconds, got {value!r}")
    if value <= 0:
        raise TargetError(f"a business duration must be positive, got {value} s")
    return value


def exact_days(value: object) -> Fraction:
    """Check a working-day amount: positive int, Fraction or Decimal (floats are refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, Fraction, Decimal)):
        raise TargetError(f"working days must be an int, Fraction or Decimal, got {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise TargetError(f"working days must be finite, got {value}")
    days = Fraction(value)
    if days <= 0:
        raise TargetError(f"working days must be positive, got {days}")
    return days


def _is_decimal(value: Fraction) -> bool:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _decimal_text(value: Fraction) -> str:
    digits = 0
    while (value * 10**digits).denominator != 1:
        digits += 1
    scaled = str(int(value * 10**digits)).rjust(digits + 1, "0")
    if not digits:
        return scaled
    return f"{scaled[:-digits]}.{scaled[-digits:]}"
