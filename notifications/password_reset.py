"""The password-reset mail, through the outbox like every other mail.

Django's `PasswordResetForm` sends the mail inside the request, so a known address answered
measurably slower than an unknown one (and so told which addresses have an account). Here the form
sends nothing: the request runs one statement, the same for a known and an unknown address, that
inserts an outbox row for each account the address belongs to (none for an unknown one), and
enqueues one delivery run after its commit (which finds nothing to send for an unknown address).
The commit does not wait for the disk on PostgreSQL (`synchronous_commit` off for this
transaction): a crash of the database server in that fraction of a second loses the request, which
the person repeats. The accounts are Django's: active, with a usable password, the address compared
without regard to case.

The row stores no secret: the link (uid and token, `default_token_generator`) is made when the
mail is sent, in the recipient's language, from ``SITE_URL``. The token is valid for
``PASSWORD_RESET_TIMEOUT`` from then, and is spent by the first password change as usual."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core import rawsql

from .kinds import Kind
from .models import OutboxMail, OutboxStatus
from .services import deliver_after_commit

PASSWORD_RESET = "password_reset"  # noqa: S105 (a kind code, not a password)


@rawsql.statement
def _record_statement(names: rawsql.Names) -> str:
    """Params: key prefix, kind, payload, pending status, now, now, address. One outbox row per
    active account with a usable password whose address is the given one, ignoring case."""
    user, n = get_user_model(), names.column

    def column(field: str) -> str:
        return names.quote(OutboxMail._meta.get_field(field).column)

    targets = ", ".join(column(f) for f in ("key", "recipient", "kind", "payload", "ticket", "status", "attempts",
                                            "next_attempt_at", "last_error", "created_at"))
    password_unusable = f"'{UNUSABLE_PASSWORD_PREFIX}%%'"
    return f"""
INSERT INTO {names.table(OutboxMail)} ({targets})
SELECT %s || {n("u", user, "pk")}, {n("u", user, "pk")}, %s, %s, NULL, %s, 0, %s, '', %s
FROM {names.table(user)} u
WHERE UPPER({n("u", user, "email")}) = UPPER(%s) AND {n("u", user, "is_active")}
  AND {n("u", user, "password")} NOT LIKE {password_unusable}
"""  # noqa: S608 (only quoted names from the models are interpolated; values are parameters)


def password_reset_record(*, email: str, now) -> int:
    """Record the reset mails for `email` in the caller's transaction; returns how many (0 for an
    address without an account: the same statement, the same work)."""
    sql = _record_statement(connection.alias)
    if connection.vendor == "postgresql":
        sql = "SET LOCAL synchronous_commit TO OFF; " + sql
    at = connection.ops.adapt_datetimefield_value(now)  # as the ORM stores it (SQLite: UTC text)
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"password-reset:{uuid.uuid4().hex}:", PASSWORD_RESET, "{}", OutboxStatus.PENDING,
                             at, at, email])
        return cursor.rowcount


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, but its save records the mails in the outbox instead of sending them."""

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            password_reset_record(email=self.cleaned_data["email"], now=timezone.now())
            deliver_after_commit()  # once per request, known address or not


def mail_context(mail: OutboxMail) -> dict:
    user = mail.recipient
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return {
        "url": settings.SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}),
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
    }


PASSWORD_RESET_KIND = Kind(code=PASSWORD_RESET, mail_context=mail_context)
