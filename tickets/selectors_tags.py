"""Reading tags: suggestions while typing, the tags of a page of tickets. Tags are the agents'
labels: only agents get any, and only from tickets they may see (`accounts.access.organisation_filter_for`), so no tag
name travels from one customer's tickets to an agent who does not support that customer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from accounts import access
from tickets.models import TaggedTicket

SUGGESTIONS = 15
CHUNK = 2000


def tag_suggestions(*, user, prefix: str = "", limit: int = SUGGESTIONS) -> list[str]:
    """The most used tags starting with `prefix` (case-insensitive) on the tickets `user` sees."""
    if not access.is_agent(user):
        return []
    # Driven from the tagged rows (few) joined to their tickets, not from the tickets the user sees (many).
    rows = TaggedTicket.objects.filter(access.organisation_filter_for(user, field="content_object__organisation"))
    prefix = " ".join(prefix.split())
    if prefix:
        rows = rows.filter(tag__name__istartswith=prefix)
    counted = rows.values("tag__name").annotate(uses=Count("id")).order_by("-uses", "tag__name")[:limit]
    return [row["tag__name"] for row in counted]


def tag_names_for(*, ticket_ids: Iterable[int]) -> dict[int, list[str]]:
    """{ticket id: its tag names, sorted} for a page of tickets: one query."""
    names: dict[int, list[str]] = defaultdict(list)
    ids = list(ticket_ids)
    if not ids:
        return {}
    for ticket_id, name in TaggedTicket.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        names[ticket_id].append(name)
    return {ticket_id: sorted(found, key=str.casefold) for ticket_id, found in names.items()}


def tag_names_by_reference(*, references: Iterable[str]) -> dict[str, list[str]]:
    """{reference: its tag names, sorted} for a list of tickets named by reference: one query per
    `CHUNK` references (an export may list many)."""
    names: dict[str, list[str]] = defaultdict(list)
    refs = list(references)
    for start in range(0, len(refs), CHUNK):
        for reference, name in TaggedTicket.objects.filter(
            content_object__reference__in=refs[start:start + CHUNK]
        ).values_list("content_object__reference", "tag__name"):
            names[reference].append(name)
    return {reference: sorted(found, key=str.casefold) for reference, found in names.items()}
