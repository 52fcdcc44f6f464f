"""Polling an IMAP mailbox (IMAP_HOST, IMAP_PORT, IMAP_USER, IMAP_PASSWORD, IMAP_FOLDER,
IMAP_USE_SSL, IMAP_USE_STARTTLS). Unseen, unflagged messages are ingested and marked seen; a
message whose handling fails is flagged (\\Flagged) for a person to look at, and skipped from then
on. Running twice is harmless: a message already handled is recognised by its Message-ID.

TLS (IMAPS, or STARTTLS) verifies the server's certificate and host name. Plain IMAP is allowed
only to a server on this machine (the tests' dovecot, `.ci/imap-server`)."""

from __future__ import annotations

import imaplib
import logging
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .service import mail_ingest

logger = logging.getLogger(__name__)


@dataclass
class PollResult:
    fetched: int = 0
    handled: int = 0
    failed: int = 0


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def imap_connect():
    host, port = settings.IMAP_HOST, settings.IMAP_PORT
    if settings.IMAP_USE_SSL:
        client = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(), timeout=60)
    elif getattr(settings, "IMAP_USE_STARTTLS", True):
        client = imaplib.IMAP4(host, port, timeout=60)
        client.starttls(ssl_context=ssl.create_default_context())
    elif host in LOOPBACK:
        client = imaplib.IMAP4(host, port, timeout=60)
    else:
        raise ImproperlyConfigured("IMAP without TLS (IMAP_USE_SSL=0, IMAP_USE_STARTTLS=0) only to this machine")
    client.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
    return client


def _raw(fetched) -> bytes | None:
    for item in fetched or []:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def imap_poll(*, connect=imap_connect, limit: int = 200) -> PollResult:
    result = PollResult()
    client = connect()
    try:
        status, _ = client.select(settings.IMAP_FOLDER)
        if status != "OK":
            raise RuntimeError(f"cannot open IMAP folder {settings.IMAP_FOLDER!r}")
        status, data = client.uid("SEARCH", None, "UNSEEN", "UNFLAGGED")
        uids = (data[0] or b"").split()[:limit] if status == "OK" and data else []
        for uid in uids:
            result.fetched += 1
            status, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = _raw(fetched) if status == "OK" else None
            try:
                if not raw:
                    raise RuntimeError("empty fetch")
                mail_ingest(raw=raw)
            except Exception:
                logger.exception("inbound mail uid %s could not be handled; flagged in the mailbox", uid)
                client.uid("STORE", uid, "+FLAGS", "(\\Flagged)")
                result.failed += 1
                continue
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            result.handled += 1
    finally:
        try:
            client.logout()
        except Exception:  # the connection may already be gone
            logger.warning("IMAP logout failed", exc_info=True)
    return result
