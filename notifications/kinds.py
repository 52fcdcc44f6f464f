"""Notification kinds: the stored code and payload, turned into text in the reader's language
when shown or mailed. Never store the text itself.

The app that writes a kind registers it once, from its `AppConfig.ready()`, with
`kind_register(Kind(...))` (`notifications` itself registers only its own kind, the password
reset: `notifications.password_reset`):
- `show(payload, reader)` → `Shown` (optional: kinds that are only mailed have none): the in-app
  text, icon and colour, in the active language and the reader's time zone (the caller activates
  the language);
- `mail_context(mail)` → dict (optional): what the kind's mail templates need besides
  `recipient`, `ticket`, `payload` and `url` (`notifications.mail`). Two keys are not for the
  templates: ``files`` (`notifications.mail.MailFile`s to attach) and ``headers`` (extra headers);
- `mail_templates`: the templates' path prefix; the renderer reads `<prefix>_subject.txt`,
  `<prefix>.txt` and `<prefix>.html` (default ``notifications/email/<code>``);
- `mail_address(mail)` → str (optional): the address of a mail without a recipient account
  (the row stores none), and `mail_language(mail)` → its language code (else ``LANGUAGE_CODE``);
- `auto_submitted`: the ``Auto-Submitted`` header (RFC 3834): ``auto-generated``, or
  ``auto-replied`` for an automatic answer to a mail;
- `mail_sent(mail)` (optional): called in the transaction that marks the mail sent;
- `mail_prefetch(mails)` (optional): called once per delivery batch with the batch's mails of
  the kind, to read what their `mail_context` needs in a few queries instead of a few per mail
  (it may set `mail.prefetched`, a dict the delivery gives every mail).
A stored row of a kind that is not registered (any more) is shown as such, never an error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


def agent_ticket_path(reference: str) -> str:
    """Where an agent works a ticket: the workspace (the customer's page where it does not exist)."""
    try:
        return reverse("tickets:workspace", kwargs={"reference": reference})
    except NoReverseMatch:
        return reverse("tickets:detail", kwargs={"reference": reference})


@dataclass(frozen=True)
class Shown:
    text: str
    icon: str
    tone: str  # a Bootstrap colour name


@dataclass(frozen=True)
class Kind:
    code: str
    show: Callable[[dict, object], Shown] | None = None  # (payload, reader) → Shown
    mail_context: Callable[[object], dict] | None = None  # (OutboxMail) → extra template context
    mail_templates: str = ""  # path prefix of the mail templates; default notifications/email/<code>
    mail_address: Callable[[object], str] | None = None  # (OutboxMail) → address, for a mail without recipient
    mail_language: Callable[[object], str] | None = None  # (OutboxMail) → language, for a mail without recipient
    auto_submitted: str = "auto-generated"
    mail_sent: Callable[[object], None] | None = None  # (OutboxMail), in the transaction that marks it sent
    mail_prefetch: Callable[[list], None] | None = None  # (list[OutboxMail]) once per delivery batch

    @property
    def mail_template_prefix(self) -> str:
        return self.mail_templates or f"notifications/email/{self.code}"


_KINDS: dict[str, Kind] = {}


def kind_register(kind: Kind) -> None:
    """Register (or replace) the kind with `kind.code`; call it from an `AppConfig.ready()`."""
    _KINDS[kind.code] = kind


def kind_for(code: str) -> Kind | None:
    return _KINDS.get(code)


def unknown_kind() -> Shown:
    return Shown(_("A notification of a kind this version does not know."), "bell", "secondary")


def notification_show(*, kind: str, payload: dict, reader) -> Shown:
    """The text, icon and colour of a notification for `reader` (current language, reader's zone)."""
    registered = kind_for(kind)
    if registered is None or registered.show is None:
        return unknown_kind()
    return registered.show(payload or {}, reader)
