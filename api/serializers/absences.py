"""Absences of agents and a team's auto-assignment setting."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Absence, Team

from .common import MAX_ID, RefField, StrictSerializer


class AbsenceSerializer(serializers.ModelSerializer):
    agent = RefField()
    created_by = RefField(allow_null=True)

    class Meta:
        model = Absence
        fields = ["id", "agent", "starts_on", "ends_on", "kind", "note", "created_by", "created_at"]
        read_only_fields = fields


class AbsenceCreateSerializer(StrictSerializer):
    agent = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID,
        help_text=_("The absent agent: yourself (default), or for team leads and managers one of their people."),
    )
    starts_on = serializers.DateField(help_text=_("The first day of the absence."))
    ends_on = serializers.DateField(help_text=_("The last day of the absence (not before the first)."))
    kind = serializers.ChoiceField(choices=Absence.Kind.choices, required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AutoAssignmentSerializer(serializers.ModelSerializer):
    team = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ["team", "auto_assign"]
        read_only_fields = fields

    def get_team(self, team) -> dict:
        return {"id": team.pk, "name": team.name}


class AutoAssignmentUpdateSerializer(StrictSerializer):
    auto_assign = serializers.BooleanField(
        help_text=_("New tickets routed to the team go to the available agent with the least open load.")
    )
