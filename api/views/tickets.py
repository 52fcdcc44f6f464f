"""Tickets: list (filters, cursor pagination), file, read, change."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from api.filters import TicketFilter
from api.pagination import TicketCursorPagination
from api.selectors import tickets_for_api
from api.serializers.tickets import TicketCreateSerializer, TicketSerializer, TicketUpdateSerializer
from tickets import selectors, services
from tickets.choices import Channel
from tickets.models import Ticket

from .base import PersonApiMixin, idempotency_key, idempotency_key_parameter

REFERENCE_PARAMETER = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="The ticket's reference (HD-2026-000042) or id."
)
IDEMPOTENCY_KEY_HEADER = idempotency_key_parameter(
    "a filing with the same key returns the first ticket instead of filing a second one"
)
FILING_RESPONSES = {
    201: TicketSerializer,
    200: OpenApiResponse(TicketSerializer, description="A repeat of the caller's earlier filing with the same "
                                                       "idempotency key: the first ticket; nothing was filed."),
    409: OpenApiResponse(description="The idempotency key was used for a different filing of the caller."),
}


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
    create=extend_schema(
        summary="File a ticket", request=TicketCreateSerializer, parameters=[IDEMPOTENCY_KEY_HEADER],
        responses=FILING_RESPONSES,
    ),
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
    request_serializers = {"POST": TicketCreateSerializer, "PATCH": TicketUpdateSerializer}  # for OPTIONS

    def get_queryset(self):
        return tickets_for_api(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_object(self):
        return ticket_for(self.request, self.kwargs["reference"])

    def create(self, request, *args, **kwargs):
        incoming = TicketCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        key = idempotency_key(request, data.pop("idempotency_key", ""))
        filed = services.ticket_create(actor=request.user, via=Channel.API, idempotency_key=key, **data)
        body = self.get_serializer(filed.ticket).data  # the ticket comes back with its relations loaded
        if not filed.created:  # a repeated request: the first ticket
            return Response(body, status=status.HTTP_200_OK)
        headers = {"Location": request.build_absolute_uri(f"{filed.ticket.reference}/")}
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)

    def partial_update(self, request, *args, **kwargs):
        ticket = self.get_object()
        incoming = TicketUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ticket = services.ticket_update(ticket=ticket, actor=request.user, **incoming.validated_data)
        return Response(self.get_serializer(ticket).data)
