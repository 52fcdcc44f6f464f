"""Calendars, policies and the deadline preview."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.formats import LOCAL_INSTANT_PATTERN, TARGET_PATTERN
from sla.models import Calendar, Closure, Holiday, OpeningHours, Policy, PolicyTarget
from sla.models.calendars import format_minute
from sla.targets import target_parse


class OpeningHoursSerializer(serializers.ModelSerializer):
    opens = serializers.SerializerMethodField()
    closes = serializers.SerializerMethodField()

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]

    def get_opens(self, row) -> str:
        return format_minute(row.open_minute)

    def get_closes(self, row) -> str:
        return format_minute(row.close_minute)


class HolidaySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Holiday
        fields = ["date", "name"]


class ClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Closure
        fields = ["start_date", "end_date", "reason", "kind"]


class CalendarSerializer(serializers.ModelSerializer):
    hours = OpeningHoursSerializer(many=True, read_only=True, help_text=_("Weekly hours; weekday 0 is Monday."))
    upcoming_holidays = HolidaySerializer(many=True, read_only=True)
    upcoming_closures = ClosureSerializer(many=True, read_only=True)

    class Meta:
        model = Calendar
        fields = [
            "slug", "name", "description", "time_zone", "holiday_country", "holiday_subdivision",
            "holidays_from_year", "holidays_until_year", "hours", "upcoming_holidays", "upcoming_closures",
        ]
        read_only_fields = fields


class PolicyTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyTarget
        fields = ["severity", "reaction_target", "resolution_target", "next_reply_target"]


class PolicySerializer(serializers.ModelSerializer):
    calendar = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    targets = PolicyTargetSerializer(many=True, read_only=True)
    pause_statuses = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Policy
        fields = ["slug", "name", "calendar", "warning_threshold_percent", "pause_statuses", "targets"]
        read_only_fields = fields


class TargetValidator(RegexValidator):
    """`TARGET_PATTERN` (which the schema states), with the target parser's own message."""

    def __init__(self):
        super().__init__(TARGET_PATTERN, _("Enter a target such as 6h, 90m or 1.5d."))

    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError:
            target_parse(value)  # raises with the message that says what is wrong
            raise


class SlaPreviewQuerySerializer(serializers.Serializer):
    calendar = serializers.SlugField(help_text=_("The calendar's short name, e.g. de-nrw-standard."))
    start = serializers.CharField(
        trim_whitespace=False,
        validators=[RegexValidator(LOCAL_INSTANT_PATTERN, _("Enter an ISO 8601 date and time with seconds, e.g. "
                                                            "2026-12-23T15:30:00+01:00, between the years 1900 "
                                                            "and 2200."))],
        help_text=_("ISO 8601 instant, e.g. 2026-12-23T15:30:00+01:00; without an offset it is read in the "
                    "calendar's time zone.")
    )
    target = serializers.CharField(
        validators=[TargetValidator()],
        help_text=_("Business time (6h, 90m) or working days (1.5d)."),
    )


class ClosedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(
        choices=[("closed_date", "closed_date"), ("no_hours", "no_hours")],
        help_text=_("closed_date: a holiday or closure; no_hours: a weekday without support hours."),
    )
    reason = serializers.CharField()


class SlaPreviewSerializer(serializers.Serializer):
    calendar = serializers.CharField()
    time_zone = serializers.CharField()
    start = serializers.DateTimeField()
    target = serializers.CharField()
    deadline = serializers.DateTimeField(help_text=_("In the calendar's time zone."))
    closed_days = ClosedDaySerializer(many=True, help_text=_("The days between start and deadline on which "
                                                             "the desk was closed, and why."))
