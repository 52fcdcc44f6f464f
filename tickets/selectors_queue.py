"""The agent queue: which tickets an agent sees, filtered, in SLA order, a page at a time.

Order: `Ticket.queue_bucket`, `Ticket.queue_sort_at`, `id` (stored generated columns, see
`tickets.models.ticket`): open tickets with a running SLA deadline first, the longest overdue at
the top, then the nearest deadline; then open tickets without a running deadline, oldest report
first; resolved and closed last. One B-tree index covers the order.

Pages are cut by keyset ("seek") pagination: a page continues after (or before) the sort key of a
row, so the database walks the index from there instead of counting and skipping rows. Page 200
costs what page 1 costs; there is no total count (it would cost a full scan at a million tickets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan

from accounts import access
from sla.choices import OPEN_STATUSES, Status
from tickets.models import TaggedTicket, Ticket
from tickets.search import tickets_matching
from tickets.selectors import REFERENCE_RE, tickets_visible_to
from tickets.sla_expressions import sla_state_q

PAGE_SIZE = 25
DONE_STATUSES = frozenset(Status.values) - frozenset(OPEN_STATUSES)

STATUS_OPEN, STATUS_ALL = "open", "all"
ASSIGNEE_ANYONE, ASSIGNEE_ME, ASSIGNEE_NOBODY = "anyone", "me", "unassigned"
TEAM_NONE = "none"

ORDER = ("queue_bucket", "queue_sort_at", "id")


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters, as parsed from the URL by `tickets.forms_agent.QueueFilterForm`."""

    status: str = STATUS_OPEN  # "open", "all" or one status code
    team: str = ""  # "" = any team, "none", or a team id
    severity: str = ""
    assignee: str = ASSIGNEE_ANYONE  # "anyone", "me", "unassigned" or a user id
    organisation: str = ""  # part of the name, or the customer number
    sla_state: str = ""
    channel: str = ""
    tag: str = ""  # one tag, case-insensitive
    q: str = ""


def _statuses(status: str) -> frozenset[str] | None:
    if status == STATUS_ALL:
        return None
    if status == STATUS_OPEN or status not in Status.values:
        return frozenset(OPEN_STATUSES)
    return frozenset({status})


def tickets_for_agent_queue(*, user, filters: QueueFilters, now: datetime) -> QuerySet[Ticket]:
    """The tickets `user` may work that match `filters`, in queue order, with what a row shows."""
    if not access.is_agent(user):
        return Ticket.objects.none()
    tickets = tickets_visible_to(user=user)
    statuses = _statuses(filters.status)
    if statuses == OPEN_STATUSES:
        # Open is exactly buckets 0 and 1: a range at the start of the order index. (Filtering the
        # status as well would make PostgreSQL multiply two selectivities that are one and the same
        # and misjudge the number of rows.)
        tickets = tickets.filter(queue_bucket__lt=2)
    elif statuses is not None:
        tickets = tickets.filter(status__in=sorted(statuses))
        if statuses <= DONE_STATUSES:
            tickets = tickets.filter(queue_bucket=2)
    if filters.team == TEAM_NONE:
        tickets = tickets.filter(team__isnull=True)
    elif filters.team.isdigit():
        tickets = tickets.filter(team_id=int(filters.team))
    if filters.severity:
        tickets = tickets.filter(severity=filters.severity)
    if filters.assignee == ASSIGNEE_ME:
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == ASSIGNEE_NOBODY:
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.organisation.strip():
        text = filters.organisation.strip()
        organisations = access.organisations_for(user).filter(Q(name__icontains=text) | Q(customer_number=text))
        tickets = tickets.filter(organisation__in=organisations.values("pk"))
    if filters.sla_state:
        tickets = tickets.filter(sla_state_q(filters.sla_state, now))
    if filters.channel:
        tickets = tickets.filter(channel=filters.channel)
    if filters.tag.strip():
        tagged = TaggedTicket.objects.filter(tag__name__iexact=" ".join(filters.tag.split()))
        tickets = tickets.filter(pk__in=tagged.values("content_object_id"))
    query = filters.q.strip()
    if REFERENCE_RE.match(query):
        tickets = tickets.filter(reference=query.upper())
    elif query:
        tickets = tickets_matching(tickets, query)
    return tickets.select_related("organisation", "assignee", "team", "sla_calendar").defer(
        "description", "steps_to_reproduce", "impact", "workaround", "out_of_hours_notice"
    )


# --- keyset pagination -------------------------------------------------------------------------

_CURSOR = re.compile(r"^([0-2])\.(-?\d{1,19})\.(\d{1,19})$")


@dataclass(frozen=True)
class QueueCursor:
    """The sort key of one row: where a page starts after (or ends before)."""

    bucket: int
    sort_at: datetime
    id: int

    @classmethod
    def of(cls, ticket: Ticket) -> QueueCursor:
        return cls(ticket.queue_bucket, ticket.queue_sort_at, ticket.pk)

    def encode(self) -> str:
        micros = int(self.sort_at.timestamp()) * 1_000_000 + self.sort_at.microsecond
        return f"{self.bucket}.{micros}.{self.id}"

    @classmethod
    def decode(cls, text: str | None) -> QueueCursor | None:
        """The cursor in `text`, or None for anything that is not one (then the first page shows)."""
        match = _CURSOR.match(text or "")
        if not match:
            return None
        micros = int(match[2])
        try:
            sort_at = datetime.fromtimestamp(micros // 1_000_000, UTC).replace(microsecond=micros % 1_000_000)
        except (OverflowError, OSError, ValueError):
            return None
        return cls(int(match[1]), sort_at, int(match[3]))

    def as_tuple(self) -> tuple:
        return (self.bucket, self.sort_at, self.id)


@dataclass
class QueuePage:
    tickets: list[Ticket] = field(default_factory=list)
    next_cursor: str | None = None  # the page after this one starts after this key
    previous_cursor: str | None = None  # the page before this one ends before this key
    is_first: bool = True


def _key():
    return tuple(F(name) for name in ORDER)


def queue_page(
    tickets: QuerySet[Ticket], *, after: str | None = None, before: str | None = None, size: int = PAGE_SIZE
) -> QueuePage:
    """One page of `tickets` (already filtered): the first page, the page after the row whose key
    is `after`, or the page before the row whose key is `before`. One query."""
    after_key, before_key = QueueCursor.decode(after), QueueCursor.decode(before)
    if before_key is not None:
        rows = list(
            tickets.filter(TupleLessThan(_key(), before_key.as_tuple()))
            .order_by(*(f"-{name}" for name in ORDER))[: size + 1]
        )
        more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        if not rows:  # nothing before that key any more: start at the top
            return queue_page(tickets, size=size)
        return QueuePage(
            tickets=rows,
            next_cursor=QueueCursor.of(rows[-1]).encode(),
            previous_cursor=QueueCursor.of(rows[0]).encode() if more_before else None,
            is_first=not more_before,
        )
    if after_key is not None:
        tickets = tickets.filter(TupleGreaterThan(_key(), after_key.as_tuple()))
    rows = list(tickets.order_by(*ORDER)[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return QueuePage(
        tickets=rows,
        next_cursor=QueueCursor.of(rows[-1]).encode() if more_after and rows else None,
        previous_cursor=QueueCursor.of(rows[0]).encode() if after_key is not None and rows else None,
        is_first=after_key is None,
    )
