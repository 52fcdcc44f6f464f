"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


def _escaped(value) -> str:
    """Control characters as escapes (a path may carry a decoded newline), like Django's own
    `log_response`."""
    return str(value).encode("unicode_escape").decode("ascii")


class ForbiddenAsOneLine(logging.Filter):
    """A 403 is a refusal, not a fault: django.request logs it as one WARNING line with the method,
    the path, the person's id ("-" when signed out) and the status, and without the traceback of
    the PermissionDenied that Django attaches (`exc_info`). Other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        user_id = user.pk if getattr(user, "is_authenticated", False) else "-"
        record.msg = "Forbidden: %s %s (user %s, status %s)"
        record.args = (
            _escaped(getattr(request, "method", "-")), _escaped(getattr(request, "path", "-")), user_id, 403,
        )
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
