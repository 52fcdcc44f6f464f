"""Shared input handling of the SLA command-line tools: one-line errors, calendars cached by slug."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from sla import engine
from sla.calendars import business_calendar_for
from sla.models import Calendar
from sla.targets import target_parse


class InputError(Exception):
    """A bad input; its text is the one-line reason."""


def reason(exc: BaseException) -> str:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return " ".join(text.split())


class Resolver:
    """Calendars (by slug) and targets (by text), each looked up once per run."""

    def __init__(self):
        self._calendars: dict[str, engine.BusinessCalendar | InputError] = {}
        self._targets: dict[str, engine.Target | InputError] = {}

    def calendar(self, slug: str) -> engine.BusinessCalendar:
        found = self._calendars.get(slug)
        if found is None:
            row = Calendar.objects.filter(slug=slug).first()
            if row is None:
                found = InputError(f"unknown calendar {slug!r}")
            else:
                try:
                    found = business_calendar_for(calendar=row)
                except engine.EngineError as exc:
                    found = InputError(reason(exc))
            self._calendars[slug] = found
        if isinstance(found, InputError):
            raise found
        return found

    def target(self, text: str) -> engine.Target:
        found = self._targets.get(text)
        if found is None:
            try:
                found = target_parse(text)
            except ValidationError as exc:
                found = InputError(reason(exc))
            self._targets[text] = found
        if isinstance(found, InputError):
            raise found
        return found

    @staticmethod
    def instant(text: str, what: str):
        try:
            return engine.parse_instant(text)
        except engine.EngineError as exc:
            raise InputError(f"{what}: {reason(exc)}") from None


def command_error(exc: BaseException) -> CommandError:
    return CommandError(reason(exc))
