"""Every write to tickets goes through these functions: the portal, the agent queue, the API,
e-mail and tasks call them. Keyword-only arguments, atomic, checked against
`tickets.transitions.ALLOWED_TRANSITIONS`, an event per change in the same transaction, mail
after commit. A change to the current value writes nothing.

`actor` is the person acting (a customer contact or an agent) or None for the system (a task,
a device, an e-mail gateway)."""

from ._common import UNSET
from .assignment import ticket_assign
from .conversation import attachment_add, comment_add
from .creation import ticket_create
from .status import (
    ticket_change_severity,
    ticket_change_status,
    ticket_close,
    ticket_confirm_resolution,
    ticket_provide_workaround,
    ticket_reopen,
    ticket_set_fix_release,
)

__all__ = [
    "UNSET",
    "attachment_add",
    "comment_add",
    "ticket_assign",
    "ticket_change_severity",
    "ticket_change_status",
    "ticket_close",
    "ticket_confirm_resolution",
    "ticket_create",
    "ticket_provide_workaround",
    "ticket_reopen",
    "ticket_set_fix_release",
]
