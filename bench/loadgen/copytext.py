"""Rows as PostgreSQL's COPY text format (`COPY ... FROM STDIN`): tab-separated, `\\N` for NULL,
backslash escapes. Encoded in the worker processes, so the parent only streams text."""

from __future__ import annotations

from datetime import date, datetime

from bench.loadgen.rows import payload_json
from sla.choices import Category, Severity, SlaState, Status, TargetState
from tickets.choices import Channel
from tickets.models import EventCode

_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_str(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPE)
    return value


_ENCODERS = {
    type(None): lambda value: "\\N",
    str: _copy_str,
    bool: lambda value: "t" if value else "f",
    int: str,
    datetime: datetime.isoformat,
    date: date.isoformat,
    dict: lambda value: _copy_str(payload_json(value)),
    # The stored codes are plain words: no escaping needed.
    **dict.fromkeys((Status, Category, Severity, Channel, SlaState, TargetState, EventCode), str.__str__),
}


def _encode_other(value) -> str:
    if isinstance(value, str):  # TextChoices members
        return _copy_str(str(value))
    return _copy_str(str(value))


NULL = "\\N"
EVENT_COLUMNS = ["ticket_id", "code", "actor_id", "payload", "is_public", "comment_id", "created_at"]


def _events_text(rows: list[dict]) -> str:
    """The events, the largest table, with their known types written out directly."""
    return "".join(
        f"{r['ticket_id']}\t{str.__str__(r['code'])}\t{NULL if r['actor_id'] is None else r['actor_id']}\t"
        f"{_copy_str(r['payload'])}\t{'t' if r['is_public'] else 'f'}\t"
        f"{NULL if r['comment_id'] is None else r['comment_id']}\t{r['created_at'].isoformat()}\n"
        for r in rows
    )


def copy_text(columns: list[str], rows: list[dict]) -> str:
    """`rows` as the body of a `COPY ... FROM STDIN` in text format (the columns in this order)."""
    if columns == EVENT_COLUMNS:
        return _events_text(rows)
    get = _ENCODERS.get
    return "".join(
        "\t".join([(get(type(value)) or _encode_other)(value) for value in map(row.__getitem__, columns)]) + "\n"
        for row in rows
    )
