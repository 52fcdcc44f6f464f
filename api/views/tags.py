"""A ticket's tags (agents only: tags are the agents' labels) and tag suggestions."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts import access
from api.serializers.tags import TagsSerializer
from tickets import selectors_tags, services
from tickets.services.tags import tag_names

from .base import PersonApiMixin
from .tickets import REFERENCE_PARAMETER, ticket_for

AGENTS_ONLY = {403: OpenApiResponse(description="Only agents see and set tags.")}


def _require_agent(user) -> None:
    if not access.is_agent(user):
        raise PermissionDenied(_("Only agents see and set tags."))


class TicketTagsView(PersonApiMixin, generics.GenericAPIView):
    serializer_class = TagsSerializer
    request_serializers = {"PUT": TagsSerializer}  # for OPTIONS

    @extend_schema(summary="Read a ticket's tags", parameters=[REFERENCE_PARAMETER],
                   responses={200: TagsSerializer, **AGENTS_ONLY})
    def get(self, request, reference):
        ticket = ticket_for(request, reference)
        _require_agent(request.user)
        return Response({"tags": tag_names(ticket)})

    @extend_schema(summary="Replace a ticket's tags", parameters=[REFERENCE_PARAMETER], request=TagsSerializer,
                   responses={200: TagsSerializer, **AGENTS_ONLY})
    def put(self, request, reference):
        ticket = ticket_for(request, reference)
        _require_agent(request.user)
        incoming = TagsSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        names = services.ticket_set_tags(ticket=ticket, actor=request.user, tags=incoming.validated_data["tags"])
        return Response({"tags": names})


class TagSuggestionsSerializer(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField())


class TagSuggestionsView(PersonApiMixin, generics.GenericAPIView):
    serializer_class = TagSuggestionsSerializer
    pagination_class = None

    @extend_schema(
        summary="Suggest tags", responses={200: TagSuggestionsSerializer, **AGENTS_ONLY},
        parameters=[OpenApiParameter("q", {"type": "string", "maxLength": 50}, OpenApiParameter.QUERY,
                                     description="The start of a tag (case-insensitive); empty: the most used.")],
    )
    def get(self, request):
        _require_agent(request.user)
        prefix = request.query_params.get("q", "")
        if len(prefix) > 50:
            raise serializers.ValidationError({"q": [_("At most 50 characters.")]})
        return Response({"tags": selectors_tags.tag_suggestions(user=request.user, prefix=prefix)})
