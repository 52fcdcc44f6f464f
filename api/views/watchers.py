"""A ticket's watchers: colleagues of the customer who get the mails, agents who follow it."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from accounts.models import User
from api.errors import RuleRefusal
from api.serializers.common import MAX_ID
from api.serializers.watchers import WatcherAddSerializer, WatcherSerializer
from tickets import services

from .base import PersonApiMixin
from .tickets import REFERENCE_PARAMETER, ticket_for


class WatcherListView(PersonApiMixin, generics.GenericAPIView):
    serializer_class = WatcherSerializer
    pagination_class = None
    request_serializers = {"POST": WatcherAddSerializer}  # for OPTIONS

    @extend_schema(summary="List a ticket's watchers", parameters=[REFERENCE_PARAMETER],
                   responses={200: WatcherSerializer(many=True)})
    def get(self, request, reference):
        ticket = ticket_for(request, reference)
        return Response(WatcherSerializer(services.watchers_of(ticket=ticket, user=request.user), many=True).data)

    @extend_schema(
        summary="Add a watcher", parameters=[REFERENCE_PARAMETER], request=WatcherAddSerializer,
        responses={201: WatcherSerializer, 403: OpenApiResponse(description="Readers; agents adding someone else."),
                   422: OpenApiResponse(description="Not a colleague of the ticket's organisation, or the requester.")},
    )
    def post(self, request, reference):
        ticket = ticket_for(request, reference)
        incoming = WatcherAddSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        person = User.objects.filter(pk=incoming.validated_data["user"]).first()
        if person is None:
            raise RuleRefusal({"user": [_("Only colleagues of your own organisation can watch this ticket.")]})
        watcher = services.ticket_watcher_add(ticket=ticket, actor=request.user, person=person)
        return Response(WatcherSerializer(watcher).data, status=status.HTTP_201_CREATED)


class WatcherDetailView(PersonApiMixin, generics.GenericAPIView):
    serializer_class = WatcherSerializer

    @extend_schema(summary="Remove a watcher",
                   parameters=[REFERENCE_PARAMETER, OpenApiParameter("user_id", int, OpenApiParameter.PATH)],
                   responses={204: None, 403: OpenApiResponse(description="Not yours to remove."),
                              404: OpenApiResponse(description="No such ticket or watcher.")})
    def delete(self, request, reference, user_id):
        ticket = ticket_for(request, reference)
        person = User.objects.filter(pk=user_id).first() if user_id <= MAX_ID else None
        if person is None or not services.ticket_watcher_remove(ticket=ticket, actor=request.user, person=person):
            raise Http404("no such watcher")
        return Response(status=status.HTTP_204_NO_CONTENT)
