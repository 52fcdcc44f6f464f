"""Errors the services raise for a request that breaks a ticket rule. Each carries a message
for the user (translated lazily, so it shows in the reader's language) and a stable code; and
the conflict of a reused idempotency key (the API's 409, code "idempotency_conflict")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from tickets.models import Ticket


class TicketRuleError(ValidationError):
    """A request the ticket's rules refuse (not a permission problem: that is PermissionDenied)."""

    def __init__(self, message, code: str):
        super().__init__(message, code=code)


class TransitionNotAllowed(TicketRuleError):
    pass


class AttachmentRefused(TicketRuleError):
    def __init__(self, message, code: str, file_name: str):
        super().__init__(message, code=code)
        self.file_name = file_name


class IdempotencyConflict(Exception):
    """An API client sent the key of an earlier request with a different request: a filing's key
    with another filing (`ticket` is the ticket it filed; the default message names it), or a
    comment's key with another comment (`tickets.services.conversation.comment_add` passes its
    message)."""

    def __init__(self, ticket: Ticket, message: str | None = None):
        self.ticket = ticket
        super().__init__(
            message
            or _("This idempotency key was already used for ticket %(reference)s with different data. Send that "
                 "request again unchanged, or use a new key for a new ticket.") % {"reference": ticket.reference}
        )
