"""Reply addresses that say who a mail was sent to: ``support+hd-<ticket>-<person>-<mac>@domain``.

Every ticket mail we send carries such an address as ``Reply-To``. A reply that comes back to it
is attributed to the person the token was issued to, for the ticket it names, because only we
can compute the MAC (an HMAC with the secret key). The token is lower-case hexadecimal and
compared without regard to case, because some mail systems fold the local part to lower case.

Plain Python over Django's signing primitives: no models, so every layer may use it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "helpdesk.notifications.reply-token"
MAC_LENGTH = 24  # hex digits: 96 bits
_TOKEN = re.compile(rf"\+hd-(\d{{1,18}})-(\d{{1,18}})-([0-9a-f]{{{MAC_LENGTH}}})@", re.IGNORECASE)


@dataclass(frozen=True)
class ReplyToken:
    ticket_id: int
    user_id: int


def _mac(ticket_id: int, user_id: int) -> str:
    return salted_hmac(SALT, f"{ticket_id}.{user_id}", algorithm="sha256").hexdigest()[:MAC_LENGTH]


def reply_mailbox() -> str:
    """The address replies go to (``REPLY_TO_ADDRESS``, else the one in ``DEFAULT_FROM_EMAIL``)."""
    return getattr(settings, "REPLY_TO_ADDRESS", "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def reply_address(*, ticket_id: int, user_id: int) -> str:
    """The plus-address that attributes a reply to ``user_id`` on ``ticket_id``."""
    local, _, domain = reply_mailbox().partition("@")
    return f"{local}+hd-{ticket_id}-{user_id}-{_mac(ticket_id, user_id)}@{domain}"


def token_in(address: str) -> ReplyToken | None:
    """The token a single address carries, if its MAC is ours; ``None`` otherwise."""
    found = _TOKEN.search(address or "")
    if found is None:
        return None
    ticket_id, user_id, mac = int(found[1]), int(found[2]), found[3].lower()
    if not constant_time_compare(mac, _mac(ticket_id, user_id)):
        return None
    return ReplyToken(ticket_id=ticket_id, user_id=user_id)


def tokens_in(*headers: str | None) -> list[ReplyToken]:
    """The valid tokens in address headers (To, Cc, Delivered-To, …), each once, in order."""
    found: list[ReplyToken] = []
    for _, address in getaddresses([header for header in headers if header]):
        token = token_in(address)
        if token is not None and token not in found:
            found.append(token)
    return found
