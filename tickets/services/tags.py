"""Tags on tickets: set a ticket's tags, or add and remove tags on many tickets at once (the
queue's bulk action). Agents only; under the ticket's row lock; one internal history event per
ticket that changed (`tags_changed`: what was added and removed); a no-op writes nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from taggit.utils import parse_tags

from accounts import access
from tickets.models import EventCode, Ticket

from ._common import event_write, lock, require_may_see
from .claiming import BulkOutcome, _bulk

TAG_MAX_LENGTH = 50
TAGS_PER_TICKET = 20


def tags_parse(value: str | Iterable[str], *, field: str = "tags") -> list[str]:
    """Tag names from a form's text ("vpn, printer", quotes allowed: taggit's syntax) or from a list
    (the API), trimmed, inner spaces collapsed, duplicates (case-insensitive) removed. Too long or
    too many: a ValidationError on `field`."""
    names = parse_tags(value) if isinstance(value, str) else list(value)
    cleaned: dict[str, str] = {}
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH or "," in name:
            raise ValidationError({field: _("A tag has at most %(limit)d characters and no comma: “%(tag)s”.")
                                   % {"limit": TAG_MAX_LENGTH, "tag": name[:TAG_MAX_LENGTH + 10]}})
        cleaned.setdefault(name.casefold(), name)
    if len(cleaned) > TAGS_PER_TICKET:
        raise ValidationError({field: ngettext("A ticket has at most %(limit)d tag.",
                                               "A ticket has at most %(limit)d tags.", TAGS_PER_TICKET)
                               % {"limit": TAGS_PER_TICKET}})
    return list(cleaned.values())


def _require_agent(actor) -> None:
    if not access.is_agent(actor):
        raise PermissionDenied(_("Only agents tag tickets."))


def tag_names(ticket: Ticket) -> list[str]:
    return sorted(ticket.tags.names(), key=str.casefold)


def _apply(locked: Ticket, actor, wanted: list[str]) -> tuple[list[str], list[str]]:
    """Set the locked ticket's tags to `wanted`; (added, removed) by name, and the event."""
    current = {name.casefold(): name for name in locked.tags.names()}
    target = {name.casefold(): name for name in wanted}
    if len(target) > TAGS_PER_TICKET:
        raise ValidationError({"tags": ngettext("A ticket has at most %(limit)d tag.",
                                                "A ticket has at most %(limit)d tags.", TAGS_PER_TICKET)
                               % {"limit": TAGS_PER_TICKET}})
    added = sorted((target[k] for k in target.keys() - current.keys()), key=str.casefold)
    removed = sorted((current[k] for k in current.keys() - target.keys()), key=str.casefold)
    if not added and not removed:
        return [], []
    locked.tags.set(list(target.values()))
    event_write(ticket=locked, code=EventCode.TAGS_CHANGED, actor=actor,
                payload={"added": added, "removed": removed}, is_public=False)
    return added, removed


def apply_tags(*, ticket: Ticket, actor, tags: Iterable[str]) -> tuple[list[str], list[str]]:
    """Set the tags of a ticket already locked in the caller's transaction (macros)."""
    return _apply(ticket, actor, tags_parse(tags))


def ticket_set_tags(*, ticket: Ticket, actor, tags: str | Iterable[str]) -> list[str]:
    """Replace the ticket's tags; returns the tags now."""
    _require_agent(actor)
    require_may_see(actor, ticket)
    wanted = tags_parse(tags)
    with transaction.atomic():
        locked = lock(ticket)
        _apply(locked, actor, wanted)
        return tag_names(locked)


def tickets_bulk_tag(*, actor, ticket_ids: Iterable[int], add: str | Iterable[str] = (),
                     remove: str | Iterable[str] = ()) -> list[BulkOutcome]:
    """Add `add` and remove `remove` on each ticket (one transaction each; see `claiming._bulk`)."""
    _require_agent(actor)
    adding, removing = tags_parse(add, field="add_tags"), tags_parse(remove, field="remove_tags")
    if not adding and not removing:
        raise ValidationError({"add_tags": _("Please name the tags to add or remove.")})
    gone = {name.casefold() for name in removing}

    def change(ticket: Ticket) -> str:
        locked = lock(ticket)
        current = [name for name in locked.tags.names() if name.casefold() not in gone]
        known = {name.casefold() for name in current}
        added, removed = _apply(locked, actor, current + [n for n in adding if n.casefold() not in known])
        if not added and not removed:
            return _("Already tagged like this; nothing changed.")
        return _("Tags now: %(tags)s.") % {"tags": ", ".join(tag_names(locked)) or _("none")}

    return _bulk(actor=actor, ticket_ids=ticket_ids, action=change)
