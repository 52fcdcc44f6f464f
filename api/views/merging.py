"""Merge a duplicate into a main ticket; split a comment off into a new ticket (agents)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts import access
from api.errors import RuleRefusal
from api.selectors import comment_get_for_user
from api.serializers.common import MAX_ID
from api.serializers.merging import MergedSerializer, MergeSerializer, SplitSerializer
from api.serializers.tickets import TicketSerializer
from tickets import services

from .base import PersonApiMixin
from .tickets import REFERENCE_PARAMETER, ticket_for

REFUSALS = {
    403: OpenApiResponse(description="Only agents merge and split tickets."),
    422: OpenApiResponse(description="A rule refuses it: the other ticket does not exist for the caller, belongs "
                                     "to another organisation or is closed; the comment is an internal note."),
}


def _require_agent(user) -> None:
    if not access.is_agent(user):
        raise PermissionDenied(_("Only agents merge and split tickets."))


class MergeView(PersonApiMixin, generics.GenericAPIView):
    serializer_class = MergeSerializer
    request_serializers = {"POST": MergeSerializer}  # for OPTIONS

    @extend_schema(
        summary="Merge this ticket into another as a duplicate", parameters=[REFERENCE_PARAMETER],
        request=MergeSerializer, responses={200: MergedSerializer, **REFUSALS},
        description="The conversation, attachments, effort and watchers move to the main ticket; this ticket is "
                    "closed with a link to it and its requester is told by mail. The main ticket's SLA targets "
                    "stay; this ticket's met and breached targets stay as they were.",
    )
    def post(self, request, reference):
        duplicate = ticket_for(request, reference)
        _require_agent(request.user)
        incoming = MergeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            main = ticket_for(request, incoming.validated_data["into"])
        except Http404:
            raise RuleRefusal({"into": [_("There is no such ticket, or you may not see it.")]}) from None
        merged = services.ticket_merge(duplicate=duplicate, main=main, actor=request.user)
        return Response(MergedSerializer({
            "main": merged.main.reference, "duplicate": merged.duplicate.reference, "comments": merged.comments,
            "attachments": merged.attachments, "time_entries": merged.time_entries, "minutes": merged.minutes,
        }).data)


class SplitView(PersonApiMixin, generics.GenericAPIView):
    serializer_class = SplitSerializer
    request_serializers = {"POST": SplitSerializer}  # for OPTIONS

    @extend_schema(
        summary="Split a comment off into a new ticket",
        parameters=[REFERENCE_PARAMETER, OpenApiParameter("comment_id", int, OpenApiParameter.PATH)],
        request=SplitSerializer, responses={201: TicketSerializer, 404: OpenApiResponse(
            description="No such ticket or comment for the caller."), **REFUSALS},
        description="The comment (with its files) becomes a new ticket of the same organisation, with its own SLA "
                    "from the comment's time.",
    )
    def post(self, request, reference, comment_id):
        ticket = ticket_for(request, reference)
        _require_agent(request.user)
        comment = None
        if comment_id <= MAX_ID:
            comment = comment_get_for_user(ticket=ticket, user=request.user, comment_id=comment_id)
        if comment is None:
            raise Http404("no such comment")
        incoming = SplitSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        comment.ticket = ticket
        split = services.comment_split(
            comment=comment, actor=request.user, subject=data["subject"], category=data.get("category", ""),
            severity=data.get("severity"),
        )
        body = TicketSerializer(split.ticket, context={"request": request, "now": timezone.now()}).data
        headers = {"Location": request.build_absolute_uri(f"/api/v1/tickets/{split.ticket.reference}/")}
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)
