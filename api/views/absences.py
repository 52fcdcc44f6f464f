"""Absences of agents (read by whoever may record them; recorded and removed through
`tickets.services.absence`) and a team's auto-assignment setting."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.response import Response

from accounts import access
from accounts.models import Absence
from api.errors import RuleRefusal
from api.serializers.absences import (
    AbsenceCreateSerializer,
    AbsenceSerializer,
    AutoAssignmentSerializer,
    AutoAssignmentUpdateSerializer,
)
from tickets.services import absence as absence_services
from tickets.services import auto_assignment

from .base import PersonApiMixin

ABSENCE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
TEAM_SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")


class AgentsOnlyMixin(PersonApiMixin):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not access.is_agent(request.user):
            raise exceptions.PermissionDenied(_("This is for agents."))


@extend_schema_view(
    list=extend_schema(summary="List absences", description="Absences of the people whose absences the caller may "
                       "record: their own, their team's as team lead, their organisation's as manager."),
    retrieve=extend_schema(summary="Read an absence", parameters=[ABSENCE_ID]),
    destroy=extend_schema(summary="Remove an absence", parameters=[ABSENCE_ID]),
)
class AbsenceViewSet(AgentsOnlyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                     viewsets.GenericViewSet):
    serializer_class = AbsenceSerializer
    pagination_class = None
    lookup_value_regex = r"[^/]+"  # anything: a malformed id is a JSON 404 here, never the catch-all's page

    def get_object(self):
        pk = self.kwargs["pk"]
        if not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
            raise exceptions.NotFound(_("Not found, or you may not see it."))
        return super().get_object()

    def get_queryset(self):
        return (
            Absence.objects.filter(agent__in=access.absence_agents_for(self.request.user))
            .select_related("agent", "created_by").order_by("starts_on", "pk")
        )

    @extend_schema(
        summary="Record an absence", request=AbsenceCreateSerializer,
        responses={201: AbsenceSerializer, 422: OpenApiResponse(
            description="The agent names nobody whose absences the caller may record, or the absence ends before "
                        "it starts.")},
    )
    def create(self, request):
        body = AbsenceCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        agent = request.user
        if data.get("agent") is not None:
            agent = access.absence_agents_for(request.user).filter(pk=data["agent"]).first()
            if agent is None:
                raise RuleRefusal({"agent": [_("You may not record absences of this person.")]})
        absence = absence_services.absence_record(
            actor=request.user, agent=agent, starts_on=data["starts_on"], ends_on=data["ends_on"],
            kind=data.get("kind", Absence.Kind.HOLIDAY), note=data.get("note", ""),
        )
        return Response(AbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        absence_services.absence_delete(actor=self.request.user, absence=instance)


@extend_schema(parameters=[TEAM_SLUG])
class AutoAssignmentView(AgentsOnlyMixin, generics.GenericAPIView):
    """A team's auto-assignment: read by the agents of the team's organisation, changed by its lead
    and the organisation's managers."""

    serializer_class = AutoAssignmentSerializer

    def get_object(self):
        team = access.teams_for(self.request.user).filter(slug=self.kwargs["slug"]).first()
        if team is None:
            raise exceptions.NotFound(_("Not found, or you may not see it."))
        return team

    @extend_schema(summary="Read a team's auto-assignment")
    def get(self, request, slug):
        return Response(AutoAssignmentSerializer(self.get_object()).data)

    @extend_schema(summary="Switch a team's auto-assignment", request=AutoAssignmentUpdateSerializer,
                   responses={200: AutoAssignmentSerializer})
    def patch(self, request, slug):
        team = self.get_object()
        if not access.may_configure_team(request.user, team):
            raise exceptions.PermissionDenied(_("Only the team lead and managers may change this."))
        body = AutoAssignmentUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team = auto_assignment.team_auto_assign_set(actor=request.user, team=team,
                                                    enabled=body.validated_data["auto_assign"])
        return Response(AutoAssignmentSerializer(team).data)
