"""Every write to tickets goes through these functions: the portal, the agent queue, the API,
e-mail and tasks call them. Keyword-only arguments, atomic, checked against
`tickets.transitions.ALLOWED_TRANSITIONS`, an event per change in the same transaction, mail
after commit. A change to the current value writes nothing.

`actor` is the person acting (a customer contact or an agent) or None for the system (a task,
a device, an e-mail gateway)."""

from tickets.errors import IdempotencyConflict

from ._common import UNSET
from .absence import Reassigned, absence_delete, absence_record, tickets_reassign_from_absent
from .assignment import ticket_assign
from .claiming import (
    AlreadyTaken,
    BulkOutcome,
    ticket_claim,
    ticket_hand_over,
    ticket_move_to_team,
    tickets_bulk_assign,
    tickets_bulk_change_status,
)
from .conversation import Commented, attachment_add, comment_add
from .creation import Filed, ticket_create
from .effort import time_entry_add, time_entry_change, time_entry_delete
from .phone import ticket_log_call
from .status import (
    ticket_change_severity,
    ticket_change_status,
    ticket_close,
    ticket_confirm_resolution,
    ticket_provide_workaround,
    ticket_reopen,
    ticket_set_fix_release,
)
from .update import ticket_update
from .workspace import (
    canned_reply_save,
    presence_leave,
    presence_touch,
    saved_view_delete,
    saved_view_save,
)

__all__ = [
    "UNSET",
    "AlreadyTaken",
    "BulkOutcome",
    "Commented",
    "Filed",
    "IdempotencyConflict",
    "Reassigned",
    "absence_delete",
    "absence_record",
    "attachment_add",
    "canned_reply_save",
    "comment_add",
    "presence_leave",
    "presence_touch",
    "saved_view_delete",
    "saved_view_save",
    "ticket_assign",
    "ticket_change_severity",
    "ticket_change_status",
    "ticket_claim",
    "ticket_close",
    "ticket_confirm_resolution",
    "ticket_create",
    "ticket_hand_over",
    "ticket_log_call",
    "ticket_move_to_team",
    "ticket_provide_workaround",
    "ticket_reopen",
    "ticket_set_fix_release",
    "ticket_update",
    "tickets_bulk_assign",
    "tickets_bulk_change_status",
    "tickets_reassign_from_absent",
    "time_entry_add",
    "time_entry_change",
    "time_entry_delete",
]
