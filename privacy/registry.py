"""Hooks for the apps above `privacy` (the channels), which store personal data of their own:
they register what to export and what to erase in `AppConfig.ready()`."""

from __future__ import annotations

from collections.abc import Callable

# name -> function(person) -> JSON-ready list of rows, one file `<name>.json` in the archive.
_EXPORT_SECTIONS: dict[str, Callable] = {}
# function(*, person, old_email, old_username) -> {what: count}; runs inside the erasure's transaction.
_ERASURE_STEPS: list[Callable] = []
# function(*, ticket_ids) -> None; runs inside each retention batch's transaction.
_TICKET_STEPS: list[Callable] = []


def export_section_register(name: str, collect: Callable) -> None:
    _EXPORT_SECTIONS[name] = collect


def erasure_step_register(step: Callable) -> None:
    if step not in _ERASURE_STEPS:
        _ERASURE_STEPS.append(step)


def ticket_step_register(step: Callable) -> None:
    if step not in _TICKET_STEPS:
        _TICKET_STEPS.append(step)


def export_sections() -> dict[str, Callable]:
    return dict(_EXPORT_SECTIONS)


def erasure_steps() -> list[Callable]:
    return list(_ERASURE_STEPS)


def ticket_steps() -> list[Callable]:
    return list(_TICKET_STEPS)
