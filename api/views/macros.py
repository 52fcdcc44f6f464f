"""Macros on a ticket: the ones available, a preview, applying one (agents only)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts import access
from api.serializers.common import MAX_ID
from api.serializers.macros import MacroPlanSerializer, MacroSerializer
from api.serializers.tickets import TicketSerializer
from tickets import services

from .base import PersonApiMixin
from .tickets import REFERENCE_PARAMETER, ticket_for

MACRO_PARAMETER = OpenApiParameter("macro_id", int, OpenApiParameter.PATH)
AGENTS_ONLY = {403: OpenApiResponse(description="Only agents use macros.")}
NO_MACRO = {404: OpenApiResponse(description="No such ticket, or no such macro available to the caller on it.")}


def _require_agent(user) -> None:
    if not access.is_agent(user):
        raise PermissionDenied(_("Only agents use macros."))


class MacroListView(PersonApiMixin, generics.GenericAPIView):
    serializer_class = MacroSerializer
    pagination_class = None

    @extend_schema(summary="List the macros available on a ticket", parameters=[REFERENCE_PARAMETER],
                   responses={200: MacroSerializer(many=True), **AGENTS_ONLY})
    def get(self, request, reference):
        ticket = ticket_for(request, reference)
        _require_agent(request.user)
        return Response(MacroSerializer(services.macros_for(user=request.user, ticket=ticket), many=True).data)


class _MacroMixin(PersonApiMixin):
    def ticket_and_macro(self, request, reference, macro_id):
        ticket = ticket_for(request, reference)
        _require_agent(request.user)
        macro = None
        if macro_id <= MAX_ID:
            macro = services.macros_for(user=request.user, ticket=ticket).filter(pk=macro_id).first()
        if macro is None:
            raise Http404("no such macro")
        return ticket, macro


class MacroPreviewView(_MacroMixin, generics.GenericAPIView):
    serializer_class = MacroPlanSerializer

    @extend_schema(summary="Preview a macro on a ticket (nothing is written)", request=None,
                   parameters=[REFERENCE_PARAMETER, MACRO_PARAMETER],
                   responses={200: MacroPlanSerializer, **AGENTS_ONLY, **NO_MACRO})
    def post(self, request, reference, macro_id):
        ticket, macro = self.ticket_and_macro(request, reference, macro_id)
        plan = services.macro_preview(macro=macro, ticket=ticket, actor=request.user)
        return Response(MacroPlanSerializer({
            "reply": plan.reply, "reply_is_internal": plan.reply_is_internal, "problems": plan.problems,
            "changes": [{"field": label, "old": old, "new": new} for label, old, new in plan.changes],
        }).data)


class MacroApplyView(_MacroMixin, generics.GenericAPIView):
    serializer_class = TicketSerializer

    @extend_schema(
        summary="Apply a macro to a ticket", request=None, parameters=[REFERENCE_PARAMETER, MACRO_PARAMETER],
        responses={200: TicketSerializer, **AGENTS_ONLY, **NO_MACRO, 422: OpenApiResponse(
            description="A step of the macro is refused (e.g. a status change the ticket's state does not allow); "
                        "nothing was written.")},
        description="The reply and every field change in one transaction, written as one history entry.",
    )
    def post(self, request, reference, macro_id):
        ticket, macro = self.ticket_and_macro(request, reference, macro_id)
        services.ticket_macro_apply(macro=macro, ticket=ticket, actor=request.user)
        fresh = ticket_for(request, ticket.reference)
        return Response(TicketSerializer(fresh, context={"request": request, "now": timezone.now()}).data)
