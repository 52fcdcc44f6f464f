"""Macros in the API (agents only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tickets.models import Macro

from .common import RefField


class MacroSerializer(serializers.ModelSerializer):
    team = RefField(allow_null=True, help_text=_("A team's macro; null for a personal one."))
    set_team = RefField(allow_null=True)
    set_assignee = RefField(allow_null=True)

    class Meta:
        model = Macro
        fields = ["id", "title", "team", "reply", "reply_is_internal", "status", "severity", "severity_reason",
                  "set_team", "set_assignee", "add_tags"]
        read_only_fields = fields


class MacroChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class MacroPlanSerializer(serializers.Serializer):
    """What the macro would do now; `problems` non-empty: applying it would be refused."""

    reply = serializers.CharField(help_text=_("The reply with its placeholders filled; empty: none."))
    reply_is_internal = serializers.BooleanField()
    changes = MacroChangeSerializer(many=True)
    problems = serializers.ListField(child=serializers.CharField())
