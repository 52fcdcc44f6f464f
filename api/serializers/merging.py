"""Merge and split in the API (`tickets.services.merging`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sla.choices import Category, Severity

from .common import StrictSerializer


class MergeSerializer(StrictSerializer):
    into = serializers.CharField(
        max_length=20,
        help_text=_("The main ticket (reference or id) that this duplicate is merged into."),
    )


class MergedSerializer(serializers.Serializer):
    """What a merge moved into the main ticket."""

    main = serializers.CharField(help_text=_("The main ticket's reference."))
    duplicate = serializers.CharField(help_text=_("The duplicate's reference (now closed)."))
    comments = serializers.IntegerField()
    attachments = serializers.IntegerField()
    time_entries = serializers.IntegerField()
    minutes = serializers.IntegerField()


class SplitSerializer(StrictSerializer):
    subject = serializers.CharField(max_length=200, help_text=_("The new ticket's subject."))
    category = serializers.ChoiceField(
        choices=Category.choices, required=False, help_text=_("Default: the original ticket's.")
    )
    severity = serializers.ChoiceField(
        choices=Severity.choices, required=False, help_text=_("Default: the original ticket's.")
    )
