"""Who an inbound mail acts as, and how far it is trusted: the one place that decides it
(docs/mail-trust.md). `service` asks here and does what the answer allows; nothing else looks at
From, reply tokens or Authentication-Results.

1. **Reply token.** A valid token of ours (`notifications.reply_tokens`) in To, Cc, Delivered-To,
   X-Original-To or Envelope-To: the mail acts as the person the token was issued to, on the
   ticket the token names, whatever From, the subject or In-Reply-To say (a token for ticket A in
   a mail whose subject names ticket B goes to A). Only while that person is active and may still
   see that ticket; otherwise the token is disregarded and the rules below apply. Of several
   tokens, the one issued to the From address wins, else the first.
2. **Staff address without a token.** A mail whose From names an agent, manager or administrator
   never acts as that person, however well it is authenticated: it is held for review
   (`UNVERIFIED`).
3. **Customer address without a token.** It acts as that customer (`AUTHENTICATED`) only when
   the receiving server's Authentication-Results say `dmarc=pass` for the From domain, or
   `spf=pass` for a MAIL FROM domain aligned with the From domain (and DMARC did not fail).
   Otherwise it is `UNVERIFIED`: kept for agents, counted for nothing.
4. **Unknown address**: `UNKNOWN` (the sender gets the usual answer about access).

Authentication-Results (RFC 8601) can be written by anyone, so only headers whose authserv-id is
in `INBOUND_TRUSTED_AUTHSERV_IDS` (our own receiving server's) count, and of those only the
topmost block: the first such header and the trusted ones directly below it (one per filter, e.g.
SPF, DKIM and DMARC each adding its own). Within the block, the first result of a method counts.
Without the setting no header is trusted and every customer mail without a token is unverified."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings

from accounts import access
from accounts.models import User
from api.models import InboundMail
from notifications.reply_tokens import ReplyToken, tokens_in
from tickets import rules
from tickets.models import Ticket

from .parsing import ParsedMail

Trust = InboundMail.Trust


@dataclass(frozen=True)
class AuthResult:
    """One method's result in an Authentication-Results header: ``spf=pass smtp.mailfrom=x``."""

    method: str  # lower case: "dmarc", "spf", "dkim", ...
    result: str  # lower case: "pass", "fail", "none", ...
    properties: dict[str, str] = field(default_factory=dict)  # "header.from" -> "example.org"


@dataclass(frozen=True)
class MailIdentity:
    """The decision for one mail. `person` is whom the mail acts as (`TOKEN`, `AUTHENTICATED`)
    or merely claims to be (`UNVERIFIED`); `ticket` is the ticket a reply token names.
    `evidence` says why: "token", "dmarc", "spf", "staff_without_token", "dmarc_fail",
    "not_authenticated", "unknown_sender"."""

    trust: str
    person: User | None = None
    ticket: Ticket | None = None
    evidence: str = ""

    @property
    def acts(self) -> bool:
        """The mail may act as `person` (add replies, open tickets in their name)."""
        return self.trust in (Trust.TOKEN, Trust.AUTHENTICATED) and self.person is not None

    @property
    def claims_staff(self) -> bool:
        return self.person is not None and is_staff(self.person)


def is_staff(person: User) -> bool:
    """Agents, managers, administrators: their address alone never lets a mail act as them."""
    return access.is_agent(person) or person.is_staff or person.is_superuser


def person_by_address(address: str) -> User | None:
    """The active account with this address. The same address on several accounts: the one that
    may file wins, then the rest by id."""
    if not address:
        return None
    people = list(User.objects.filter(email__iexact=address, is_active=True).select_related("organisation"))
    people.sort(key=lambda p: (not access.can_file_tickets(p), not access.is_agent(p), p.pk))
    return people[0] if people else None


def mail_identity(mail: ParsedMail) -> MailIdentity:
    """Whom `mail` acts as, and how it is trusted (the rules in this module's docstring)."""
    by_token = _by_token(mail)
    if by_token is not None:
        return by_token
    person = person_by_address(mail.sender)
    if person is None:
        return MailIdentity(Trust.UNKNOWN, evidence="unknown_sender")
    if is_staff(person):
        return MailIdentity(Trust.UNVERIFIED, person, evidence="staff_without_token")
    verdict = authentication_verdict(mail.headers, from_address=mail.sender,
                                     trusted_ids=trusted_authserv_ids())
    if verdict in ("dmarc", "spf"):
        return MailIdentity(Trust.AUTHENTICATED, person, evidence=verdict)
    return MailIdentity(Trust.UNVERIFIED, person, evidence=verdict or "not_authenticated")


def _by_token(mail: ParsedMail) -> MailIdentity | None:
    tokens = tokens_in(*mail.recipients)
    if not tokens:
        return None
    people = {p.pk: p for p in User.objects.filter(pk__in={t.user_id for t in tokens}, is_active=True)
              .select_related("organisation")}
    tickets = {t.pk: t for t in Ticket.objects.filter(pk__in={t.ticket_id for t in tokens})
               .select_related("organisation")}

    def usable(token: ReplyToken) -> bool:
        person, ticket = people.get(token.user_id), tickets.get(token.ticket_id)
        return person is not None and ticket is not None and rules.may_see(person, ticket)

    candidates = [t for t in tokens if usable(t)]
    if not candidates:
        return None
    own = [t for t in candidates if (people[t.user_id].email or "").lower() == mail.sender]
    token = (own or candidates)[0]
    return MailIdentity(Trust.TOKEN, people[token.user_id], tickets[token.ticket_id], evidence="token")


def trusted_authserv_ids() -> set[str]:
    value = getattr(settings, "INBOUND_TRUSTED_AUTHSERV_IDS", ())
    if isinstance(value, str):
        value = value.split(",")
    return {item.strip().lower() for item in value if item and item.strip()}


# --- Authentication-Results (RFC 8601) ---------------------------------------------------------

_QUOTED = r'"(?:[^"\\]|\\.)*"'


def _without_comments(value: str) -> str:
    """The header without (comments), which may nest; quoted strings are kept as they are."""
    out, depth, quoted, escaped = [], 0, False, False
    for char in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(char)
            continue
        if char == "\\":
            escaped = True
            if depth == 0:
                out.append(char)
            continue
        if quoted:
            out.append(char)
            if char == '"':
                quoted = False
            continue
        if char == "(":
            depth += 1
            continue
        if char == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append(" ")
            continue
        if depth:
            continue
        if char == '"':
            quoted = True
        out.append(char)
    return "".join(out)


def _split_semicolons(value: str) -> list[str]:
    parts = re.findall(rf'(?:{_QUOTED}|[^;"])+', value)
    return [part.strip() for part in parts]


_PAIR = re.compile(rf'([A-Za-z0-9_.\-/]+)\s*=\s*({_QUOTED}|[^\s;]+)')


def authentication_results_parse(value: str) -> tuple[str, list[AuthResult]]:
    """(authserv-id in lower case, the method results) of one Authentication-Results header."""
    parts = _split_semicolons(_without_comments(value or ""))
    if not parts or not parts[0]:
        return "", []
    authserv_id = parts[0].split()[0].lower()
    results = []
    for part in parts[1:]:
        pairs = _PAIR.findall(part)
        if not pairs:
            continue
        method, result = pairs[0]
        properties = {}
        for name, raw in pairs[1:]:
            if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
                raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
            properties.setdefault(name.lower(), raw.strip())
        results.append(AuthResult(method.split("/", 1)[0].lower(), result.strip('"').lower(), properties))
    return authserv_id, results


def trusted_results(headers: list[tuple[str, str]], trusted_ids: set[str]) -> list[AuthResult]:
    """The method results of the topmost block of Authentication-Results headers with a trusted
    authserv-id: the first such header and the trusted ones directly below it. A header of any
    other kind (or one with another authserv-id) ends the block, so that headers the sender wrote
    further down (below our server's Received) never count."""
    if not trusted_ids:
        return []
    block: list[AuthResult] = []
    started = False
    for name, value in headers:
        if name == "authentication-results":
            authserv_id, results = authentication_results_parse(value)
            if authserv_id in trusted_ids:
                started = True
                block.extend(results)
                continue
        if started:
            break
    return block


def _domain(address_or_domain: str) -> str:
    return (address_or_domain or "").strip().strip("<>").lower().rpartition("@")[2].rstrip(".")


def aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment (RFC 7489 §3.1) without the public suffix list: the same domain, or one a
    subdomain of the other (bounces.example.org and example.org)."""
    if not domain or not from_domain or "." not in domain or "." not in from_domain:
        return False
    return domain == from_domain or domain.endswith("." + from_domain) or from_domain.endswith("." + domain)


def authentication_verdict(headers: list[tuple[str, str]], *, from_address: str, trusted_ids: set[str]) -> str:
    """"dmarc" or "spf" when the trusted results authenticate the From domain; otherwise why not:
    "dmarc_fail", "no_trusted_result" or "not_authenticated"."""
    results = trusted_results(headers, trusted_ids)
    if not results:
        return "no_trusted_result"
    from_domain = _domain(from_address)
    first: dict[str, AuthResult] = {}
    for result in results:
        first.setdefault(result.method, result)
    dmarc, spf = first.get("dmarc"), first.get("spf")
    if dmarc is not None:
        named = _domain(dmarc.properties.get("header.from", ""))
        if dmarc.result == "pass" and (not named or named == from_domain):
            return "dmarc"
        if dmarc.result == "fail":
            return "dmarc_fail"
    if spf is not None and spf.result == "pass":
        mail_from = spf.properties.get("smtp.mailfrom", "")
        if aligned(_domain(mail_from), from_domain):
            return "spf"
    return "not_authenticated"
