"""Who may file which ticket through which entry point: the one place with these rules.

`ticket_create` calls `filing_check` before it writes anything. The entry point (`via`) is the
channel through which the filing reached us: the portal form, the REST API, the e-mail gateway,
the phone form of the agents' workspace, a device's report. `via=None` are internal callers (the
demo data, tests), which file as they are told: the role rules (customers for themselves, agents
for the organisations they support, readers never) apply to them too, the entry points' do not.

A choice that the actor made in a field (the API's `organisation`, `requester`, `channel` and
`reported_at`, the phone form's caller) is refused as that field's error; where the actor chose
nothing (the portal and e-mail file for the actor's own organisation in its own name), a mismatch
is a `PermissionDenied`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, Role, User
from sla.choices import CATEGORIES_WITH_SEVERITY, Category, Severity
from tickets.choices import Channel
from tickets.limits import TICKET_DESCRIPTION_MAX_LENGTH, text_length_errors

# A report logged a little after the clock of the server: tolerated, a later time is not.
CLOCK_SKEW = timedelta(minutes=5)

CONTACT, AGENT, SYSTEM = "contact", "agent", "system"
# Who files through each entry point (None: internal callers).
FILERS = {
    Channel.PORTAL: {CONTACT},
    Channel.API: {CONTACT, AGENT},
    Channel.EMAIL: {CONTACT},
    Channel.PHONE: {AGENT},
    Channel.CHAT: {AGENT},  # an agent turns a live chat into a ticket (the `chat` app)
    Channel.DEVICE: {SYSTEM},
    None: {CONTACT, AGENT, SYSTEM},
}
# A ticket's channel is its entry point's, except that an agent filing through the API records a
# phone call or an e-mail as such, with the time it came in (`reported_at`).
AGENT_API_CHANNELS = (Channel.API, Channel.PHONE, Channel.EMAIL)
CHANNELS_WITH_REPORTED_AT = (Channel.PHONE, Channel.EMAIL)
# Entry points that know when a report came in by themselves: the call, the mail's date, the arrival,
# the start of the chat.
VIA_WITH_REPORTED_AT = (Channel.PHONE, Channel.EMAIL, Channel.DEVICE, Channel.CHAT)


@dataclass(frozen=True)
class CheckedFiling:
    """Who files for whom, through which channel: checked, as model instances."""

    organisation: Organisation
    requester: User | None
    channel: str


def role_of(actor) -> str | None:
    """CONTACT, AGENT, SYSTEM (no actor: a device, a gateway) or None (may not file: readers...)."""
    if actor is None:
        return SYSTEM
    if access.can_file_tickets(actor):
        return CONTACT
    if access.is_agent(actor):
        return AGENT
    return None


def filing_check(
    *,
    actor,
    via: str | None,
    organisation,
    requester,
    channel: str | None,
    reported_at: datetime | None,
    subject: str,
    description: str,
    category: str,
    severity: str,
    now: datetime,
    steps_to_reproduce: str = "",
    impact: str = "",
) -> CheckedFiling:
    """Resolve and check who files what: raises `ValidationError` (per field) or `PermissionDenied`.

    `organisation` and `requester` are model instances or, as an API payload names them, ids.
    Customers file for their own organisation in their own name (both are the default); agents
    for an organisation they support (`access.organisations_for`), with a registered contact of
    it as requester or none. `reported_at` is None for "now"."""
    role = role_of(actor)
    errors: dict[str, str] = {}
    refused = False  # a mismatch where the actor chose nothing: a PermissionDenied after the field errors
    if access.is_customer(actor):
        organisation, requester, refused = _customer_parties(actor, role, via, organisation, requester, errors)
    elif role == AGENT:
        organisation, requester, refused = _agent_parties(actor, via, organisation, requester, errors)
    else:  # the system, or someone refused below
        if isinstance(organisation, int):
            organisation = Organisation.objects.filter(pk=organisation).first()
        if isinstance(requester, int):
            requester = User.objects.filter(pk=requester).first()
    channel = channel or via or Channel.PORTAL
    _check_choices(role=role, via=via, channel=channel, reported_at=reported_at, errors=errors)
    _check_fields(
        organisation=organisation, requester=requester, subject=subject, description=description,
        category=category, severity=severity, errors=errors,
    )
    errors.update(text_length_errors({
        name: (text.strip(), TICKET_DESCRIPTION_MAX_LENGTH)
        for name, text in (("description", description), ("steps_to_reproduce", steps_to_reproduce),
                           ("impact", impact))
    }))
    if reported_at is not None and "reported_at" not in errors:
        _check_reported_at(organisation=organisation, channel=channel, reported_at=reported_at, now=now,
                           errors=errors)
    if errors:
        raise ValidationError(errors)
    if role not in FILERS[via]:
        raise PermissionDenied(_refusal(actor, via))
    if refused:
        raise PermissionDenied(_("You cannot file tickets for this organisation."))
    return CheckedFiling(organisation=organisation, requester=requester, channel=channel)


def _customer_parties(actor, role, via, organisation, requester, errors):
    """A customer's own organisation and the customer as requester (readers: none, they are
    refused later); anything else is refused."""
    own_org = organisation is None or getattr(organisation, "pk", organisation) == actor.organisation_id
    own_name = requester is None or getattr(requester, "pk", requester) == actor.pk
    if via == Channel.API:
        if not own_org:
            errors["organisation"] = _("You file tickets for your own organisation.")
        if not own_name:
            errors["requester"] = _("You file tickets in your own name.")
        own_org = own_name = True
    if organisation is None or isinstance(organisation, int):
        organisation = actor.organisation if own_org else None
    if requester is None or isinstance(requester, int):
        requester = actor if own_name and role == CONTACT else None
    return organisation, requester, not (own_org and own_name)


def _agent_parties(actor, via, organisation, requester, errors):
    """An organisation the agent supports (one query: the lookup is the check) and, optionally,
    a requester of that organisation."""
    if isinstance(organisation, int):
        organisation = access.organisations_for(actor).filter(pk=organisation).first()
        supported = organisation is not None
    else:
        supported = organisation is not None and access.organisations_for(actor).filter(pk=organisation.pk).exists()
    refused = False
    if not supported:
        if via == Channel.API:
            errors["organisation"] = _("Choose a customer organisation whose tickets you work on.")
        elif via == Channel.PHONE:  # the organisation is the caller's
            errors["requester"] = _("You cannot file tickets for this organisation.")
        elif organisation is None:
            errors["organisation"] = _("Tickets are filed for an active customer organisation.")
        else:
            refused = True
    if isinstance(requester, int):
        requester = User.objects.filter(pk=requester, organisation=organisation).first() if supported else None
        if requester is None:
            errors.setdefault("requester", _("The requester must be a registered contact of the organisation."))
    return organisation, requester, refused


def _check_choices(*, role, via, channel, reported_at, errors) -> None:
    """Which channel and report time the actor may set (internal callers: any)."""
    agent = role == AGENT
    if via is not None and channel != via and not (
        via == Channel.API and agent and channel in AGENT_API_CHANNELS
    ):
        errors["channel"] = _("Choose api, phone or email.") if agent else _("Only agents choose the channel.")
    if reported_at is not None and not (
        via is None
        or via in VIA_WITH_REPORTED_AT
        or (via == Channel.API and agent and channel in CHANNELS_WITH_REPORTED_AT)
    ):
        errors["reported_at"] = (
            _("The time of the report can be set for phone and e-mail tickets only.") if agent
            else _("Only agents set the time of the report, for phone and e-mail tickets.")
        )


def _check_fields(*, organisation, requester, subject, description, category, severity, errors) -> None:
    if organisation is None or organisation.kind != Organisation.Kind.CUSTOMER or not organisation.is_active:
        errors.setdefault("organisation", _("Tickets are filed for an active customer organisation."))
    if requester is not None and (
        organisation is None or requester.organisation_id != organisation.pk or requester.role != Role.CONTACT
    ):
        errors.setdefault("requester", _("The requester must be a registered contact of the organisation."))
    if not subject.strip():
        errors["subject"] = _("Please give the ticket a subject.")
    if not description.strip():
        errors["description"] = _("Please describe what happened.")
    if category not in Category.values:
        errors["category"] = _("Please choose a category.")
    elif category in CATEGORIES_WITH_SEVERITY and severity not in Severity.values:
        errors["severity"] = _("Please choose how severe the fault is.")


def _check_reported_at(*, organisation, channel, reported_at, now, errors) -> None:
    """Not in the future; a phone call not before the organisation's first support contract
    started (organisations without any contract are not checked: their tickets have no SLA)."""
    if reported_at > now + CLOCK_SKEW:
        errors["reported_at"] = (
            _("The time of the call cannot be in the future.") if channel == Channel.PHONE
            else _("The time of the report cannot be in the future.")
        )
        return
    if channel != Channel.PHONE or organisation is None:
        return
    first = organisation.sla_contracts.order_by("valid_from").first()
    if first is not None and timezone.localdate(reported_at) < first.valid_from:
        errors["reported_at"] = _(
            "The support contract of %(organisation)s started on %(date)s; the call cannot be earlier."
        ) % {"organisation": organisation, "date": date_format(first.valid_from, "SHORT_DATE_FORMAT")}


def _refusal(actor, via) -> str:
    if access.is_reader(actor):
        return _(
            "Your account can read your organisation's tickets but cannot file them. Please contact %(contact)s."
        ) % {"contact": access.contact_for_refusal(actor)}
    if via == Channel.PHONE:
        return _("Only agents log phone calls.")
    return _("Your role does not allow filing tickets.")
