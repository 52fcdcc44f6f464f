"""Marks on tickets that apps above `tickets` contribute (which `tickets` must not import), e.g.
`api`'s unverified e-mail waiting for review: shown on the queue's rows and at the top of the
workspace; and notices on the queue page itself (e.g. unverified e-mail that names no ticket).
Sources register from an `AppConfig.ready()`; each answers for a page of tickets at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TicketFlag:
    label: str
    icon: str = "flag"
    tone: str = "warning"  # a Bootstrap colour: warning, danger, info, ...
    url: str = ""
    code: str = ""  # stable, for tests and styling


FlagSource = Callable[[list[int]], Mapping[int, Iterable[TicketFlag]]]
NoticeSource = Callable[[object], Iterable[TicketFlag]]
_FLAG_SOURCES: list[FlagSource] = []
_NOTICE_SOURCES: list[NoticeSource] = []


def ticket_flag_source_register(source: FlagSource) -> None:
    """Add `source(ticket_ids) -> {ticket_id: flags}` (for agents' eyes; one query per call)."""
    if source not in _FLAG_SOURCES:
        _FLAG_SOURCES.append(source)


def queue_notice_source_register(source: NoticeSource) -> None:
    """Add `source(user) -> notices` shown above the agent's queue (one query per call)."""
    if source not in _NOTICE_SOURCES:
        _NOTICE_SOURCES.append(source)


def ticket_flags_for(*, ticket_ids: list[int]) -> dict[int, list[TicketFlag]]:
    flags: dict[int, list[TicketFlag]] = {}
    if not ticket_ids:
        return flags
    for source in _FLAG_SOURCES:
        for ticket_id, found in source(list(ticket_ids)).items():
            flags.setdefault(ticket_id, []).extend(found)
    return flags


def queue_notices_for(*, user) -> list[TicketFlag]:
    return [notice for source in _NOTICE_SOURCES for notice in source(user)]
