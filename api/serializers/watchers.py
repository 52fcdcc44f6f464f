"""A ticket's watchers in the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tickets.models import TicketWatcher

from .common import MAX_ID, RefField, StrictSerializer


class WatcherSerializer(serializers.ModelSerializer):
    user = RefField()

    class Meta:
        model = TicketWatcher
        fields = ["user", "created_at"]
        read_only_fields = fields


class WatcherAddSerializer(StrictSerializer):
    user = serializers.IntegerField(
        min_value=1, max_value=MAX_ID,
        help_text=_("Contacts: a colleague of the ticket's organisation. Agents: themselves (follow the ticket)."),
    )
