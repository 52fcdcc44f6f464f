"""The password-reset mail, through the outbox like every other mail.

Django's `PasswordResetForm` sends the mail inside the request, so a known address answered
measurably slower than an unknown one (it also revealed which addresses have an account). Here the
form records an outbox row in the request's transaction and sends nothing; the delivery task sends
it after the commit. Known and unknown addresses do the same work in the request: one lookup, and
one delivery run enqueued after the commit (for an unknown address it finds nothing to send).

The row stores no secret: the link (uid and token, `default_token_generator`) is made when the
mail is sent, in the recipient's language, from ``SITE_URL``. The token is valid for
``PASSWORD_RESET_TIMEOUT`` from then, and is spent by the first password change as usual."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .kinds import Kind
from .models import OutboxMail
from .services import deliver_after_commit, outbox_mails_add

PASSWORD_RESET = "password_reset"  # noqa: S105 (a kind code, not a password)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form (the same users are found: active, usable password, the address ignoring
    case), but each mail is an outbox row, written in the request's transaction."""

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Once per request, whether or not the address is known: the same work either way.
            deliver_after_commit()

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None) -> None:
        user = context["user"]
        outbox_mails_add(
            mails=[OutboxMail(key=f"password-reset:{user.pk}:{uuid.uuid4().hex}", recipient=user,
                              kind=PASSWORD_RESET, payload={})],
            enqueue=False,
        )


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
