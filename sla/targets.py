"""Targets (``6h``, ``90m``, ``1.5d``) between the forms and the engine: parsed by
`sla.engine.parse_target`, stored as the engine's canonical string."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sla.engine import EngineError, parse_target

_SHAPE = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*([smhd])\s*$", re.IGNORECASE)


def target_parse(text: str):
    """The engine `Target` for `text`, or a `ValidationError` in the current language."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Enter a target such as 6h, 90m or 1.5d."), code="required")
    try:
        return parse_target(text)
    except EngineError:
        raise _target_error(text) from None


def _target_error(text: str) -> ValidationError:
    shape = _SHAPE.match(text)
    if shape:
        try:
            number = Decimal(shape.group(1).replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            number = None
        if number is not None and number <= 0:
            return ValidationError(
                _("The target must be greater than zero (“%(value)s”)."), code="target_not_positive",
                params={"value": text},
            )
        if shape.group(2).lower() != "d":
            return ValidationError(
                _("“%(value)s” is not a whole number of seconds. Use e.g. 90m instead of 1.5h."),
                code="target_not_whole_seconds", params={"value": text},
            )
    return ValidationError(
        _("“%(value)s” is not a valid target. Use a positive number followed by s, m, h or d, "
          "e.g. 6h, 90m or 1.5d."),
        code="invalid_target", params={"value": text},
    )


def target_normalise(text: str) -> str:
    """The canonical stored form of a target, as the engine writes it."""
    return str(target_parse(text))
