"""The API's reads. Tickets come through `tickets.selectors` (the one access gate); the rest
is scoped with `accounts.access` and `tickets.rules`, like the UI."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import Organisation
from api.models import ApiToken
from sla.models import Calendar, Closure, Holiday, OpeningHours, Policy, PolicyTarget
from tickets import rules, selectors
from tickets.models import Attachment, Comment, Ticket

UPCOMING_DAYS = 365


# What the API shows of a ticket's relations ({id, name}): only those columns are read.
PERSON_NAME = ("first_name", "last_name", "username")
TICKET_RELATED_ONLY = (
    "organisation__id", "organisation__name", "team__id", "team__name",
    *(f"{relation}__{field}" for relation in ("requester", "assignee") for field in ("id", *PERSON_NAME)),
)


def tickets_for_api(*, user) -> QuerySet[Ticket]:
    """The tickets the user may see, with what the list shows of their relations loaded in the
    same query (and nothing more: a page builds a few hundred model instances)."""
    related = ("organisation", "requester", "assignee", "team")
    ticket_fields = [f.attname for f in Ticket._meta.concrete_fields]
    return (
        selectors.tickets_visible_to(user=user)
        .select_related(*related)
        .only(*ticket_fields, *TICKET_RELATED_ONLY)
    )


def comments_for_user(*, ticket: Ticket, user) -> QuerySet[Comment]:
    """The ticket's comments the user may see (internal notes for agents only), with their
    visible attachments."""
    comments = ticket.comments.select_related("author")
    attachments = Attachment.objects.order_by("created_at", "pk")
    if not rules.sees_internal(user):
        comments = comments.filter(is_internal=False)
        attachments = attachments.filter(is_internal=False)
    return comments.prefetch_related(Prefetch("attachments", queryset=attachments)).order_by("created_at", "pk")


def comment_get_for_user(*, ticket: Ticket, user, comment_id: int) -> Comment | None:
    return comments_for_user(ticket=ticket, user=user).filter(pk=comment_id).first()


def attachments_for_user(*, ticket: Ticket, user) -> QuerySet[Attachment]:
    attachments = ticket.attachments.order_by("created_at", "pk")
    if not rules.sees_internal(user):
        attachments = attachments.filter(is_internal=False)
    return attachments


def organisation_of(*, user) -> Organisation:
    if not access._active(user) or user.organisation_id is None:
        raise Http404("no organisation")
    return Organisation.objects.select_related("support_partner").get(pk=user.organisation_id)


def policies_visible_to(*, user) -> QuerySet[Policy]:
    """Managers see every policy; everyone else the policies of the contracts (and their
    category overrides) of the organisations whose tickets they may see."""
    policies = Policy.objects.all()
    if not access.is_manager(user):
        organisations = access.organisations_for(user)
        policies = policies.filter(
            Q(contracts__organisation__in=organisations) | Q(overrides__contract__organisation__in=organisations)
        ).distinct()
    return (
        policies.select_related("calendar")
        .prefetch_related(Prefetch("targets", queryset=PolicyTarget.objects.order_by("severity")))
        .order_by("name")
    )


def calendars_visible_to(*, user, now=None) -> QuerySet[Calendar]:
    """Published calendars, and those of the policies the user may see; managers see all.
    Upcoming holidays and closures (a year ahead) are loaded with them."""
    calendars = Calendar.objects.all()
    if not access.is_manager(user):
        policy_ids = policies_visible_to(user=user).values("pk")
        calendars = calendars.filter(Q(is_public=True) | Q(policies__in=policy_ids)).distinct()
    today = timezone.localdate(now or timezone.now())
    last = today + timedelta(days=UPCOMING_DAYS)
    return calendars.order_by("name").prefetch_related(
        Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "open_minute")),
        Prefetch(
            "holidays",
            queryset=Holiday.objects.filter(is_active=True, date__gte=today, date__lte=last).order_by("date"),
            to_attr="upcoming_holidays",
        ),
        Prefetch(
            "closures",
            queryset=Closure.objects.filter(end_date__gte=today, start_date__lte=last).order_by("start_date"),
            to_attr="upcoming_closures",
        ),
    )


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")
