from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.services.devices import LEVEL_SEVERITY, REPORT_STATUSES

from .common import InstantField, StrictSerializer


class DeviceReportSerializer(StrictSerializer):
    error_code = serializers.CharField(max_length=50, help_text=_("The device's error code, e.g. E42."))
    status = serializers.ChoiceField(choices=[(s, s) for s in REPORT_STATUSES], default="fault")
    level = serializers.ChoiceField(
        choices=[(lvl, lvl) for lvl in LEVEL_SEVERITY], default="error",
        help_text=_("critical and error open a severe fault, warning a minor one; a fault reported without a "
                    "level is an error (severe)."),
    )
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    occurred_at = InstantField(required=False, allow_null=True, default=None)


class DeviceReportResultSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(a, a) for a in ("opened", "added", "recovered", "ignored")],
        help_text=_("opened a ticket, added to the open ticket, noted the recovery, or ignored (nothing open)."),
    )
    ticket = serializers.CharField(allow_null=True, help_text=_("The ticket's reference."))
