"""A ticket's satisfaction survey: read it (the requester, and agents who may see the ticket),
answer it (the requester, once)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts import access
from api.serializers.satisfaction import SatisfactionAnswerSerializer, SatisfactionSerializer
from tickets.models import SatisfactionSurvey
from tickets.services.satisfaction import survey_answer

from .conversation import TicketScopedMixin
from .tickets import REFERENCE_PARAMETER


@extend_schema(parameters=[REFERENCE_PARAMETER])
class SatisfactionView(TicketScopedMixin, generics.GenericAPIView):
    """Asked once per ticket, at its first resolution; answered once, within
    SATISFACTION_SURVEY_DAYS. Customers see only the survey of tickets they filed."""

    serializer_class = SatisfactionSerializer
    request_serializers = {"POST": SatisfactionAnswerSerializer}  # for OPTIONS

    def get_object(self):
        survey = SatisfactionSurvey.objects.filter(ticket=self.ticket).first()
        user = self.request.user
        if survey is None or not (access.is_agent(user) or survey.requester_id == user.pk):
            raise NotFound(_("This ticket has no satisfaction survey you may see (it is asked at the resolution)."))
        return survey

    @extend_schema(summary="Read the satisfaction survey of a ticket",
                   responses={200: SatisfactionSerializer,
                              404: OpenApiResponse(description="No such ticket you may see, or it has no "
                                                               "survey (not resolved yet), or you did not file it.")})
    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(summary="Answer the satisfaction survey (the requester, once)",
                   request=SatisfactionAnswerSerializer,
                   responses={201: SatisfactionSerializer,
                              422: OpenApiResponse(description="Refused by a rule: not resolved yet (no_survey), "
                                                               "already answered (already_answered), or closed "
                                                               "(survey_closed).")})
    def post(self, request, *args, **kwargs):
        incoming = SatisfactionAnswerSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        survey = survey_answer(ticket=self.ticket, actor=request.user, rating=data["rating"],
                               comment=data.get("comment", ""))
        return Response(self.get_serializer(survey).data, status=status.HTTP_201_CREATED)
