"""Taking, handing over and moving tickets from the agent queue, under the ticket's row lock, so
two agents acting at the same moment queue up and the second one is told what happened instead
of overwriting the first. Bulk actions run ticket by ticket and report a result for each."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import access
from sla.choices import Status
from tickets.errors import TicketRuleError
from tickets.models import Ticket
from tickets.selectors import tickets_visible_to

from ._common import UNSET, lock, require_may_see
from .assignment import ticket_assign
from .status import ticket_change_status


class AlreadyTaken(TicketRuleError):
    """Someone else holds the ticket (or changed its assignment since the actor looked)."""

    def __init__(self, message, holder=None):
        super().__init__(message, code="taken")
        self.holder = holder


def _require_agent(actor) -> None:
    if not access.is_agent(actor):
        raise PermissionDenied(_("Your role does not allow this change."))


def _held_by_other(locked: Ticket, actor) -> AlreadyTaken:
    return AlreadyTaken(
        _("%(person)s has already taken %(reference)s. It was not assigned to you.")
        % {"person": locked.assignee, "reference": locked.reference},
        holder=locked.assignee,
    )


def ticket_claim(*, ticket: Ticket, actor) -> Ticket:
    """The actor takes the ticket. Under the row lock: an unassigned ticket becomes the actor's;
    one the actor already holds stays as it is (nothing written); one that another agent took in
    the meantime is refused with `AlreadyTaken` naming that agent."""
    require_may_see(actor, ticket)
    _require_agent(actor)
    with transaction.atomic():
        locked = lock(ticket)
        if locked.assignee_id == actor.pk:
            return locked
        if locked.assignee_id is not None:
            raise _held_by_other(locked, actor)
        return ticket_assign(ticket=locked, actor=actor, assignee=actor)


def ticket_hand_over(*, ticket: Ticket, actor, assignee, expected_assignee_id: int | None) -> Ticket:
    """Assign the ticket to `assignee` (None: nobody) provided it is still assigned as the actor saw
    it (`expected_assignee_id`, None for unassigned). When someone changed the assignment in the
    meantime, nothing is written and `AlreadyTaken` names the current holder."""
    require_may_see(actor, ticket)
    _require_agent(actor)
    with transaction.atomic():
        locked = lock(ticket)
        if locked.assignee_id != expected_assignee_id:
            if locked.assignee_id is None:
                message = _("%(reference)s was unassigned in the meantime. Please check and try again.") % {
                    "reference": locked.reference
                }
            else:
                message = _("%(person)s holds %(reference)s now. Please check and try again.") % {
                    "person": locked.assignee, "reference": locked.reference
                }
            raise AlreadyTaken(message, holder=locked.assignee)
        return ticket_assign(ticket=locked, actor=actor, assignee=assignee)


def ticket_move_to_team(*, ticket: Ticket, actor, team) -> Ticket:
    """Move the ticket to another team of the actor's organisation. An assignee who is not a
    member of the new team is removed, so the ticket shows up unassigned in that team's queue."""
    require_may_see(actor, ticket)
    _require_agent(actor)
    if team is None or not access.teams_for(actor).filter(pk=team.pk).exists():
        raise ValidationError({"team": _("Please choose one of your organisation's active teams.")})
    with transaction.atomic():
        locked = lock(ticket)
        keeps_assignee = locked.assignee_id is None or team.members.filter(pk=locked.assignee_id).exists()
        return ticket_assign(ticket=locked, actor=actor, team=team, assignee=UNSET if keeps_assignee else None)


# --- bulk actions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk action did to one ticket: `ok` and a message for the person in their language."""

    ticket_id: int
    reference: str
    ok: bool
    message: str


def _bulk(*, actor, ticket_ids: Iterable[int], action: Callable[[Ticket], str]) -> list[BulkOutcome]:
    """Run `action` on each visible ticket in its own transaction (a refusal of one leaves the
    others done) and return one outcome per requested id, in the order given."""
    ids = list(dict.fromkeys(int(pk) for pk in ticket_ids))
    tickets = {t.pk: t for t in tickets_visible_to(user=actor).filter(pk__in=ids).select_related("assignee")}
    outcomes = []
    for pk in ids:
        ticket = tickets.get(pk)
        if ticket is None:
            outcomes.append(BulkOutcome(pk, "", False, _("This ticket does not exist or is not yours to see.")))
            continue
        try:
            with transaction.atomic():
                message = action(ticket)
        except (ValidationError, PermissionDenied) as error:
            text = error.messages[0] if isinstance(error, ValidationError) else str(error)
            outcomes.append(BulkOutcome(pk, ticket.reference, False, text))
        else:
            outcomes.append(BulkOutcome(pk, ticket.reference, True, message))
    return outcomes


def tickets_bulk_assign(*, actor, ticket_ids: Iterable[int], assignee, take_over: bool = False) -> list[BulkOutcome]:
    """Assign each ticket to `assignee` (None: nobody). A ticket that another agent holds is left
    alone and reported, unless `take_over` says to reassign it anyway."""
    _require_agent(actor)

    def assign(ticket: Ticket) -> str:
        locked = lock(ticket)
        if locked.assignee_id == getattr(assignee, "pk", None):
            return _("Already assigned like this; nothing changed.")
        if not take_over and locked.assignee_id not in (None, actor.pk):
            raise AlreadyTaken(
                _("%(person)s holds this ticket; it was left unchanged.") % {"person": locked.assignee},
                holder=locked.assignee,
            )
        ticket_assign(ticket=locked, actor=actor, assignee=assignee)
        if assignee is None:
            return _("Unassigned.")
        return _("Assigned to %(person)s.") % {"person": assignee}

    return _bulk(actor=actor, ticket_ids=ticket_ids, action=assign)


def tickets_bulk_change_status(*, actor, ticket_ids: Iterable[int], status: str) -> list[BulkOutcome]:
    """Move each ticket to `status` through the one transition table; refusals are reported per ticket."""
    _require_agent(actor)
    if status not in Status.values:
        raise ValidationError({"status": _("Please choose a status.")})

    def change(ticket: Ticket) -> str:
        old = ticket.status
        changed = ticket_change_status(ticket=ticket, actor=actor, status=status)
        if changed.status == old:
            return _("Already “%(status)s”; nothing changed.") % {"status": Status(status).label}
        return _("Now “%(status)s”.") % {"status": Status(status).label}

    return _bulk(actor=actor, ticket_ids=ticket_ids, action=change)
