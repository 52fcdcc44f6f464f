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
from .macros import MacroPlan, macro_preview, macro_save, macros_for, ticket_macro_apply
from .merging import Merged, MergeRefused, Split, comment_split, ticket_merge
from .phone import ticket_log_call
from .releases import tickets_fix_released
from .status import (
    ticket_change_severity,
    ticket_change_status,
    ticket_close,
    ticket_confirm_resolution,
    ticket_provide_workaround,
    ticket_reopen,
    ticket_set_fix_release,
)
from .tags import tags_parse, ticket_set_tags, tickets_bulk_tag
from .update import ticket_update
from .watchers import (
    colleagues_for_page,
    colleagues_to_add,
    ticket_watcher_add,
    ticket_watcher_remove,
    watchers_of,
)
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
    "MacroPlan",
    "MergeRefused",
    "Merged",
    "Reassigned",
    "Split",
    "absence_delete",
    "absence_record",
    "attachment_add",
    "canned_reply_save",
    "colleagues_for_page",
    "colleagues_to_add",
    "comment_add",
    "comment_split",
    "macro_preview",
    "macro_save",
    "macros_for",
    "presence_leave",
    "presence_touch",
    "saved_view_delete",
    "saved_view_save",
    "tags_parse",
    "ticket_assign",
    "ticket_change_severity",
    "ticket_change_status",
    "ticket_claim",
    "ticket_close",
    "ticket_confirm_resolution",
    "ticket_create",
    "ticket_hand_over",
    "ticket_log_call",
    "ticket_macro_apply",
    "ticket_merge",
    "ticket_move_to_team",
    "ticket_provide_workaround",
    "ticket_reopen",
    "ticket_set_fix_release",
    "ticket_set_tags",
    "ticket_update",
    "ticket_watcher_add",
    "ticket_watcher_remove",
    "tickets_bulk_assign",
    "tickets_bulk_change_status",
    "tickets_bulk_tag",
    "tickets_fix_released",
    "tickets_reassign_from_absent",
    "time_entry_add",
    "time_entry_change",
    "time_entry_delete",
    "watchers_of",
]
