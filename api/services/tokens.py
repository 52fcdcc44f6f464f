"""Creating, using and revoking personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from api.keys import TOKEN_PREFIX, key_display, key_generate, key_hash
from api.models import ApiToken

MAX_ACTIVE_TOKENS = 20
# How often `last_used_at` is written: not on every request, so a busy script does not turn
# every read into a write.
TOUCH_INTERVAL = timedelta(minutes=5)


def api_token_create(*, user, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user` and return it with its secret, which is shown once and never
    stored. Any active user may have tokens: the token acts with the user's own rights."""
    if not access._active(user):
        raise PermissionDenied(_("Sign in to create an API token."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please name the token, e.g. after the script that uses it.")})
    if expires_in_days is not None and expires_in_days <= 0:
        raise ValidationError({"expires_in_days": _("Choose a positive number of days.")})
    now = timezone.now()
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
        if sum(1 for t in active if t.expires_at is None or t.expires_at > now) >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                {"name": _("You already have %(count)d active tokens. Revoke one you no longer need.")
                 % {"count": MAX_ACTIVE_TOKENS}}
            )
        secret = key_generate(TOKEN_PREFIX)
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=key_display(secret),
            key_hash=key_hash(secret),
            expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token of the actor's own (a no-op for a revoked one)."""
    if actor is None or token.user_id != actor.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
    return token


def api_token_touch(*, token: ApiToken, now=None) -> None:
    """Record that the token was used (at most every TOUCH_INTERVAL)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
