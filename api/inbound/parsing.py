"""An RFC 822 message as the helpdesk needs it: sender, subject (RFC 2047 decoded), the ids it
answers, the text (from the plain part, or from the HTML part of an HTML-only mail), the
attachments, whether it was sent by a machine (loop protection), the recipients of a delivery
report that failed (bounces), and its headers in order (for `trust`: reply tokens in the
recipient headers, the receiving server's Authentication-Results)."""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from .html_text import html_to_text

AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
DAEMON_LOCAL_PARTS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}
# The headers that name where a mail was delivered (a reply token counts in any of them).
RECIPIENT_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to")
NO_REPLY = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply)", re.IGNORECASE)


@dataclass
class MailAttachment:
    name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Bounce:
    """One recipient of a delivery status notification (RFC 3464) whose delivery failed for good."""

    address: str  # lower-case: the Original-Recipient when given, else the Final-Recipient
    status: str  # e.g. "5.1.1"
    diagnostic: str  # the remote server's words (Diagnostic-Code), "" when absent


@dataclass
class ParsedMail:
    message_key: str
    message_id: str
    sender: str  # lower-case address, "" when missing
    sender_name: str
    subject: str
    date: datetime | None
    answers: list[str]  # In-Reply-To and References, as raw header text
    text: str
    html: str  # the HTML body when the mail had no plain part ("" otherwise)
    attachments: list[MailAttachment] = field(default_factory=list)
    machine: str = ""  # why it is an automatic / bulk mail, "" for a person's mail
    priority_high: bool = False
    # Every header as (lower-case name, unfolded raw value), top to bottom: the order matters for
    # Authentication-Results (the receiving server's own are on top).
    headers: list[tuple[str, str]] = field(default_factory=list)
    bounces: list[Bounce] = field(default_factory=list)  # a delivery report's failed recipients

    def header_values(self, *names: str) -> list[str]:
        wanted = {name.lower() for name in names}
        return [value for name, value in self.headers if name in wanted]

    @property
    def recipients(self) -> list[str]:
        """The raw values of To, Cc, Delivered-To, X-Original-To and Envelope-To."""
        return self.header_values(*RECIPIENT_HEADERS)


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a malformed header: treat as absent
        return ""
    return str(value or "").strip()


def _sender(message: EmailMessage) -> tuple[str, str]:
    raw = _header(message, "From")
    try:
        addresses = getaddresses([raw])
    except Exception:
        addresses = []
    for name, address in addresses:
        if "@" in address:
            return address.strip().lower(), name.strip()
    return "", ""


def is_own_address(address: str, own_addresses: set[str]) -> bool:
    """One of our addresses, also plus-addressed (support+hd-…@ is support@)."""
    local, at, domain = (address or "").strip().lower().rpartition("@")
    if not at:
        return False
    return f"{local}@{domain}" in own_addresses or f"{local.split('+', 1)[0]}@{domain}" in own_addresses


def _loops_back(message: EmailMessage, own_addresses: set[str]) -> bool:
    """An X-Loop header naming one of our addresses: we sent or handled this mail before."""
    try:
        values = [str(value) for value in message.get_all("X-Loop") or []]
    except Exception:  # a malformed header
        values = [str(value) for name, value in message.raw_items() if name.lower() == "x-loop"]
    for value in values:
        try:
            addresses = [address for _, address in getaddresses([value])]
        except Exception:
            addresses = []
        candidates = addresses + re.findall(r"[^\s<>\"',;()]+@[^\s<>\"',;()]+", value)
        if any(is_own_address(candidate, own_addresses) for candidate in candidates):
            return True
    return False


def machine_reason(message: EmailMessage, sender: str, own_addresses: set[str]) -> str:
    """A code when the mail was sent by a machine or to a list (never answer those), else ""."""
    if _loops_back(message, own_addresses):
        return "x_loop"
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return "auto_submitted"
    if _header(message, "Precedence").lower() in AUTO_PRECEDENCE:
        return "precedence"
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond") or _header(message, "X-Auto-Reply"):
        return "auto_reply"
    if _header(message, "List-Id") or _header(message, "List-Unsubscribe"):
        return "mailing_list"
    if message.get_content_type() == "multipart/report":
        return "delivery_report"
    if not sender:
        return "no_sender"
    local = sender.split("@", 1)[0]
    if local in DAEMON_LOCAL_PARTS or _header(message, "Return-Path") == "<>":
        return "mailer_daemon"
    if NO_REPLY.match(local):
        return "no_reply_address"
    if is_own_address(sender, own_addresses):
        return "own_mail"
    return ""


def _body(message: EmailMessage) -> tuple[str, str]:
    """(text, html-only source). Prefers the plain part; an HTML-only mail is converted."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        content = ""
    if part.get_content_type() == "text/html":
        return html_to_text(content), content
    return content, ""


def _attachments(message: EmailMessage) -> list[MailAttachment]:
    found = []
    for part in _walk_skipping_forwarded(message):
        if part.is_multipart() and part.get_content_type() != "message/rfc822":
            continue
        disposition = part.get_content_disposition()
        name = part.get_filename() or ""
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            inner = part.get_payload(0) if isinstance(part.get_payload(), list) else None
            if inner is None:
                continue
            content = inner.as_bytes()
            name = name or "message.eml"
        elif disposition == "attachment" or (name and disposition != "inline") or (
            name and disposition == "inline" and not content_type.startswith("image/")
        ):
            content = part.get_payload(decode=True) or b""
        else:
            continue  # the body, its alternatives, and inline images (logos in signatures)
        found.append(MailAttachment(name=name or "attachment", content=content, content_type=content_type))
    return found


def _walk_skipping_forwarded(message: EmailMessage):
    """Parts of the message, not descending into attached messages (they are one attachment)."""
    yield message
    if message.get_content_type() == "message/rfc822":
        return
    if message.is_multipart():
        for part in message.get_payload():
            yield from _walk_skipping_forwarded(part)


def _headers(message: EmailMessage) -> list[tuple[str, str]]:
    return [(name.lower(), " ".join(str(value).split())) for name, value in message.raw_items()]


def _recipient_address(value: str) -> str:
    """The address of a DSN recipient field ("rfc822; someone@example.org")."""
    kind, _, address = (value or "").partition(";")
    if not address:
        kind, address = "rfc822", kind
    if kind.strip().lower() != "rfc822":
        return ""
    address = address.strip().strip("<>").strip().lower()
    return address if "@" in address else ""


def _bounces(message: EmailMessage) -> list[Bounce]:
    """The recipients a delivery status notification reports as failed (Action: failed, or a
    permanent 5.x.x status). Delays, relays and successes are no bounce."""
    if message.get_content_type() != "multipart/report":
        return []
    found: list[Bounce] = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks[1:] if isinstance(blocks, list) else []:
            if not hasattr(block, "raw_items"):
                continue
            fields = {name.lower(): " ".join(str(value).split()) for name, value in block.raw_items()}
            action, status = fields.get("action", "").lower(), fields.get("status", "")
            if action != "failed" and not status.startswith("5"):
                continue
            if action and action != "failed":
                continue
            address = _recipient_address(fields.get("original-recipient", "")) or _recipient_address(
                fields.get("final-recipient", "")
            )
            if address and all(b.address != address for b in found):
                found.append(Bounce(address=address, status=status[:20], diagnostic=fields.get("diagnostic-code", "")))
    return found


def _date(message: EmailMessage) -> datetime | None:
    raw = _header(message, "Date")
    if not raw:
        return None
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return value if value is not None and value.tzinfo is not None else None


def _priority_high(message: EmailMessage) -> bool:
    x_priority = _header(message, "X-Priority")
    return (
        x_priority[:1] in {"1", "2"}
        or _header(message, "Importance").lower() == "high"
        or _header(message, "Priority").lower() == "urgent"
    )


def mail_parse(raw: bytes, *, own_addresses: set[str] | None = None) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=policy.default)
    sender, sender_name = _sender(message)
    message_id = _header(message, "Message-ID")[:250]
    key = message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    text, html = _body(message)
    return ParsedMail(
        message_key=key[:255],
        message_id=message_id,
        sender=sender,
        sender_name=sender_name,
        subject=" ".join(_header(message, "Subject").split()),
        date=_date(message),
        answers=[_header(message, "In-Reply-To"), _header(message, "References")],
        text=text.replace("\r\n", "\n").strip(),
        html=html,
        attachments=_attachments(message),
        machine=machine_reason(message, sender, own_addresses or set()),
        priority_high=_priority_high(message),
        headers=_headers(message),
        bounces=_bounces(message),
    )
