"""The satisfaction survey of a ticket."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tickets.limits import COMMENT_MAX_LENGTH, TextLengthValidator
from tickets.models import SatisfactionSurvey
from tickets.services.satisfaction import survey_is_open

from .common import StrictSerializer


class SatisfactionSerializer(serializers.ModelSerializer):
    rating = serializers.IntegerField(read_only=True, allow_null=True, min_value=1, max_value=5,
                                      help_text=_("1 (very dissatisfied) to 5 (very satisfied); null: not answered."))
    closes_at = serializers.DateTimeField(read_only=True, help_text=_("Until when it can be answered."))
    is_open = serializers.SerializerMethodField(help_text=_("Unanswered and still within its time."))

    class Meta:
        model = SatisfactionSurvey
        fields = ["rating", "comment", "asked_at", "answered_at", "closes_at", "is_open"]
        read_only_fields = fields

    def get_is_open(self, survey) -> bool:
        return survey_is_open(survey)


class SatisfactionAnswerSerializer(StrictSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5,
                                      help_text=_("1 (very dissatisfied) to 5 (very satisfied)."))
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    validators=[TextLengthValidator(COMMENT_MAX_LENGTH)])
