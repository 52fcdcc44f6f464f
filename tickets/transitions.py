"""The one table of allowed status changes, and who may make them.

The main path: new → in progress ⇄ waiting on customer → workaround provided → resolved → closed.
Extra edges, and why:
- new → waiting: the agent needs more information before starting;
- new / in progress / waiting → resolved: the answer or fix comes at once (questions, orders);
- in progress → workaround and workaround → in progress: a workaround is delivered, or it
  failed and the work goes on; workaround → waiting: the agent needs feedback on it;
- any open status → closed: the customer withdraws the request (or an agent closes a
  duplicate); resolved → closed is the customer confirming the resolution;
- resolved → in progress and closed → in progress: reopen (from closed only within
  TICKET_REOPEN_DAYS of closing); a reopened ticket goes back to the team, not to "new".

Customers may only close (withdraw or confirm) and reopen; a customer's reply to a ticket that
waits on them moves it back to in progress. Agents may make every allowed change.
"""

from datetime import datetime, timedelta

from django.conf import settings

from sla.choices import Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER, Status.RESOLVED, Status.CLOSED}),
    Status.IN_PROGRESS: frozenset(
        {Status.WAITING_ON_CUSTOMER, Status.WORKAROUND, Status.RESOLVED, Status.CLOSED}
    ),
    Status.WAITING_ON_CUSTOMER: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}),
    Status.WORKAROUND: frozenset({Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER, Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}

# The changes a customer contact may make (everything else is agents' work).
CUSTOMER_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {(old, Status.CLOSED) for old in (Status.NEW, Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER, Status.WORKAROUND)}
    | {
        (Status.RESOLVED, Status.CLOSED),
        (Status.RESOLVED, Status.IN_PROGRESS),
        (Status.CLOSED, Status.IN_PROGRESS),
        (Status.WAITING_ON_CUSTOMER, Status.IN_PROGRESS),
    }
)

REOPEN_FROM = frozenset({Status.RESOLVED, Status.CLOSED})


def is_allowed(old: str, new: str) -> bool:
    return new in ALLOWED_TRANSITIONS.get(old, frozenset())


def is_allowed_for_customer(old: str, new: str) -> bool:
    return is_allowed(old, new) and (old, new) in CUSTOMER_TRANSITIONS


def reopen_window_open(ticket, now: datetime) -> bool:
    """A resolved ticket can always be reopened; a closed one for TICKET_REOPEN_DAYS after closing."""
    if ticket.status == Status.RESOLVED:
        return True
    if ticket.status == Status.CLOSED and ticket.closed_at is not None:
        return ticket.closed_at + timedelta(days=settings.TICKET_REOPEN_DAYS) >= now
    return False
