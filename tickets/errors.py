"""Errors the services raise for a request that breaks a ticket rule. Each carries a message
for the user (translated lazily, so it shows in the reader's language) and a stable code."""

from django.core.exceptions import ValidationError


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
