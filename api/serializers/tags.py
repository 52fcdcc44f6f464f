"""A ticket's tags in the API (agents only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tickets.services.tags import TAG_MAX_LENGTH, TAGS_PER_TICKET

from .common import StrictSerializer


class TagsSerializer(StrictSerializer):
    tags = serializers.ListField(
        child=serializers.CharField(max_length=TAG_MAX_LENGTH), max_length=TAGS_PER_TICKET,
        help_text=_("All of the ticket's tags (a PUT replaces them); case-insensitive, sorted."),
    )
