"""Tickets: list (filters, cursor pagination), file, read, change."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from accounts import access
from accounts.models import Team, User
from api.filters import TicketFilter
from api.pagination import TicketCursorPagination
from api.selectors import tickets_for_api
from api.serializers.tickets import (
    AGENT_CHANNELS,
    CHANNELS_WITH_REPORTED_AT,
    TicketCreateSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
)
from tickets import selectors, services
from tickets.choices import Channel
from tickets.models import Ticket

from .base import PersonApiMixin

AGENT_FIELDS = frozenset({"severity", "assignee", "team", "workaround", "fixed_in_release"})
REFERENCE_PARAMETER = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="The ticket's reference (HD-2026-000042) or id."
)


def ticket_for(request, reference) -> Ticket:
    """The access gate: a ticket the caller may not see is a 404, like in the portal. Anything
    that is neither a reference nor a plausible id is a 404 before it reaches the database."""
    value = str(reference).strip()
    if not (selectors.REFERENCE_RE.match(value) or (value.isascii() and value.isdigit() and len(value) <= 18)):
        raise Http404("no such ticket")
    return selectors.ticket_get_for_user(user=request.user, reference_or_id=value)


@extend_schema_view(
    list=extend_schema(summary="List tickets", description="Tickets the caller may see, newest first."),
    retrieve=extend_schema(summary="Read a ticket", parameters=[REFERENCE_PARAMETER]),
    create=extend_schema(summary="File a ticket", request=TicketCreateSerializer, responses={201: TicketSerializer}),
    partial_update=extend_schema(
        summary="Change a ticket", parameters=[REFERENCE_PARAMETER], request=TicketUpdateSerializer,
        responses={200: TicketSerializer},
    ),
)
class TicketViewSet(
    PersonApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TicketSerializer
    pagination_class = TicketCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = TicketFilter
    lookup_field = "reference"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return tickets_for_api(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_object(self):
        return ticket_for(self.request, self.kwargs["reference"])

    def create(self, request, *args, **kwargs):
        user = request.user
        if not (access.can_file_tickets(user) or access.is_agent(user)):
            raise exceptions.PermissionDenied(
                _("Your account can read your organisation's tickets but cannot file them. Please contact "
                  "%(contact)s.") % {"contact": access.contact_for_refusal(user)}
                if access.is_reader(user) else _("Your role does not allow filing tickets.")
            )
        incoming = TicketCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        started = timezone.now()
        fields = self._filing_fields(user, data)
        key = data.pop("idempotency_key", "") or request.headers.get("Idempotency-Key", "")[:64]
        ticket = services.ticket_create(actor=user, idempotency_key=key, **fields, **data)
        existed = ticket.created_at < started
        if existed:  # a repeated request: the first ticket, read with what the answer shows
            ticket = tickets_for_api(user=user).get(pk=ticket.pk)
        body = self.get_serializer(ticket).data  # a new ticket comes back with its relations loaded
        headers = {"Location": request.build_absolute_uri(f"{ticket.reference}/")} if not existed else {}
        return Response(body, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED, headers=headers)

    def _filing_fields(self, user, data: dict) -> dict:
        """Who files for whom, through which channel; removes those keys from `data`."""
        organisation_id = data.pop("organisation", None)
        requester_id = data.pop("requester", None)
        channel = data.pop("channel", Channel.API)
        reported_at = data.pop("reported_at", None)
        errors: dict[str, list[str]] = {}
        if access.is_customer(user):
            if organisation_id not in (None, user.organisation_id):
                errors["organisation"] = [_("You file tickets for your own organisation.")]
            if requester_id not in (None, user.pk):
                errors["requester"] = [_("You file tickets in your own name.")]
            if channel != Channel.API:
                errors["channel"] = [_("Only agents choose the channel.")]
            if reported_at is not None:
                errors["reported_at"] = [_("Only agents set the time of the report, for phone and e-mail tickets.")]
            if errors:
                raise exceptions.ValidationError(errors)
            return {"organisation": user.organisation, "requester": user, "channel": Channel.API}
        organisation = (
            access.organisations_for(user).filter(pk=organisation_id).first() if organisation_id else None
        )
        if organisation is None:
            errors["organisation"] = [_("Choose a customer organisation whose tickets you work on.")]
        requester = None
        if requester_id is not None:
            requester = (
                User.objects.filter(pk=requester_id, organisation=organisation).first() if organisation else None
            )
            if requester is None:
                errors["requester"] = [_("The requester must be a registered contact of the organisation.")]
        if channel not in AGENT_CHANNELS:
            errors["channel"] = [_("Choose api, phone or email.")]
        if reported_at is not None and channel not in CHANNELS_WITH_REPORTED_AT:
            errors["reported_at"] = [_("The time of the report can be set for phone and e-mail tickets only.")]
        if errors:
            raise exceptions.ValidationError(errors)
        fields = {"organisation": organisation, "requester": requester, "channel": channel}
        if reported_at is not None:
            fields["reported_at"] = reported_at.replace(microsecond=0)
        return fields

    def partial_update(self, request, *args, **kwargs):
        ticket = self.get_object()
        incoming = TicketUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        user = request.user
        if AGENT_FIELDS.intersection(data) and not access.is_agent(user):
            raise exceptions.PermissionDenied(_("Your role does not allow this change."))
        with transaction.atomic():
            if "assignee" in data or "team" in data:
                changes = {}
                if "assignee" in data:
                    changes["assignee"] = self._person(data["assignee"])
                if "team" in data:
                    changes["team"] = self._team(data["team"])
                ticket = services.ticket_assign(ticket=ticket, actor=user, **changes)
            if "severity" in data:
                ticket = services.ticket_change_severity(ticket=ticket, actor=user, severity=data["severity"])
            if "workaround" in data:
                ticket = services.ticket_provide_workaround(ticket=ticket, actor=user, workaround=data["workaround"])
            if "fixed_in_release" in data:
                ticket = services.ticket_set_fix_release(ticket=ticket, actor=user, release=data["fixed_in_release"])
            if "status" in data:
                ticket = services.ticket_change_status(ticket=ticket, actor=user, status=data["status"])
        ticket = tickets_for_api(user=user).get(pk=ticket.pk)
        return Response(self.get_serializer(ticket).data)

    @staticmethod
    def _person(user_id):
        if user_id is None:
            return None
        person = User.objects.filter(pk=user_id, is_active=True).first()
        if person is None:
            raise exceptions.ValidationError({"assignee": [_("No active person with this id.")]})
        return person

    @staticmethod
    def _team(team_id):
        if team_id is None:
            return None
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise exceptions.ValidationError({"team": [_("No team with this id.")]})
        return team
