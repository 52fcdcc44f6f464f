"""How API callers prove who they are.

- People: `Authorization: Token hdt_…` (or `Bearer hdt_…`), a personal token created on the
  "API tokens" page, or the signed-in session (with its CSRF check).
- Devices: `Authorization: Device hdd_…`, accepted only by the device-report endpoint, which
  accepts nothing else. A key of the wrong kind is refused with a message that says so.

An address that sent too many unknown keys gets 429 for a while (`api.throttling`, like the
sign-in lockout), whatever key it sends."""

from __future__ import annotations

import math

from django.contrib.auth.models import AnonymousUser
from django.db import router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import authentication, exceptions

from accounts.models import Organisation, User
from api.keys import DEVICE_PREFIX, TOKEN_PREFIX, key_hash
from api.models import ApiToken, Device
from api.services import api_token_touch
from api.throttling import key_failure_record, key_failures_blocked_for
from core import rawsql

TOKEN_KEYWORDS = ("token", "bearer")
DEVICE_KEYWORD = "device"


def _credentials(request) -> tuple[str, str] | None:
    """(keyword in lower case, key) from the Authorization header, or None without one."""
    header = authentication.get_authorization_header(request)
    if not header:
        return None
    try:
        parts = header.decode("ascii").split()
    except UnicodeDecodeError:
        raise exceptions.AuthenticationFailed(_("The Authorization header must be plain ASCII.")) from None
    if len(parts) != 2:
        if parts and parts[0].lower() in (*TOKEN_KEYWORDS, DEVICE_KEYWORD):
            raise exceptions.AuthenticationFailed(
                _("Malformed Authorization header: send “%(keyword)s <key>” with one space.") % {"keyword": parts[0]}
            )
        return None
    return parts[0].lower(), parts[1]


class KeyFailuresThrottled(exceptions.Throttled):
    """429 for an address that sent too many unknown keys (the code stays "throttled")."""

    def __init__(self, wait: int):
        minutes = math.ceil(wait / 60)
        super().__init__(detail=ngettext(
            "Too many failed attempts with API keys from your address. Try again in %(minutes)d minute.",
            "Too many failed attempts with API keys from your address. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes})
        self.wait = wait


def _refuse_if_blocked(request, now) -> None:
    wait = key_failures_blocked_for(request, now=now)
    if wait is not None:
        raise KeyFailuresThrottled(wait)


# Every API call of a person runs this lookup, so it is written out (core.rawsql): building the
# equivalent queryset cost more CPU than the rest of a filing (bench/api_create.py). It is the only
# definition of which token a key stands for; tests/api/test_token_statement.py checks it against
# that rule over generated people, organisations and tokens.
@rawsql.statement
def _lookup_statement(names: rawsql.Names) -> str:
    """Params: the key hash. At most one row (the hash is unique): the token, unless revoked, with
    its person and the person's organisation (NULLs without one)."""
    n = names.column
    return f"""
SELECT {names.select(ApiToken, "k")}, {names.select(User, "u")}, {names.select(Organisation, "o")}
FROM {names.table(ApiToken)} k
JOIN {names.table(User)} u ON {n("u", User, "pk")} = {n("k", ApiToken, "user")}
LEFT JOIN {names.table(Organisation)} o ON {n("o", Organisation, "pk")} = {n("u", User, "organisation")}
WHERE {n("k", ApiToken, "key_hash")} = %s AND {n("k", ApiToken, "revoked_at")} IS NULL
"""  # noqa: S608 (only quoted names from the models are interpolated; values are parameters)


def token_with_person(hashed: str) -> ApiToken | None:
    """The unrevoked token with this key hash, its person and the person's organisation loaded
    (expiry and the person's state are the caller's to check)."""
    using = router.db_for_read(ApiToken)
    found = rawsql.fetch_one(_lookup_statement(using), [hashed], [ApiToken, User, Organisation], using=using)
    if found is None:
        return None
    token, user, organisation = found
    user.organisation = organisation
    token.user = user
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    """A person's API token. Devices' keys are refused here."""

    www_keyword = "Token"

    def authenticate(self, request):
        credentials = _credentials(request)
        if credentials is None or credentials[0] not in TOKEN_KEYWORDS:
            return None
        key = credentials[1]
        now = timezone.now()
        _refuse_if_blocked(request, now)
        if key.startswith(DEVICE_PREFIX):
            raise exceptions.AuthenticationFailed(
                _("This is a device key. Device keys work only for device reports; use a personal API token.")
            )
        if not key.startswith(TOKEN_PREFIX):
            key_failure_record(request, now=now)
            raise exceptions.AuthenticationFailed(_("Invalid API token."))
        token = token_with_person(key_hash(key))
        if token is None:
            key_failure_record(request, now=now)
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This API token has expired. Create a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this API token is deactivated."))
        api_token_touch(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.www_keyword


class DeviceKeyAuthentication(authentication.BaseAuthentication):
    """A device's key. The request's user stays anonymous; `request.auth` is the Device."""

    def authenticate(self, request):
        credentials = _credentials(request)
        if credentials is None:
            return None
        keyword, key = credentials
        if keyword != DEVICE_KEYWORD:
            raise exceptions.AuthenticationFailed(
                _("Device reports need a device key: send “Authorization: Device <key>”. "
                  "Personal API tokens and sign-ins are not accepted here.")
            )
        now = timezone.now()
        _refuse_if_blocked(request, now)
        if key.startswith(TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed(
                _("This is a personal API token. Device reports need the device's own key.")
            )
        device = (
            Device.objects.select_related("organisation").filter(key_hash=key_hash(key)).first()
            if key.startswith(DEVICE_PREFIX)
            else None
        )
        if device is None:
            key_failure_record(request, now=now)
            raise exceptions.AuthenticationFailed(_("Invalid device key."))
        if not device.is_active or not device.organisation.is_active:
            raise exceptions.AuthenticationFailed(_("This device is deactivated."))
        return AnonymousUser(), device

    def authenticate_header(self, request):
        return "Device"
