"""Form fields and forms of the SLA admin: times as HH:MM, targets in engine notation,
overlap checks across a weekday's ranges."""

from itertools import pairwise

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from sla.choices import OPEN_STATUSES, Status

from .hours import minute_parse, overlap_error
from .models import OpeningHours, Policy, PolicyTarget
from .models.calendars import format_minute
from .targets import target_normalise


class MinuteOfDayField(forms.Field):
    """A local wall-clock time ``HH:MM`` (``24:00`` allowed) as minutes since midnight."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"size": 5, "maxlength": 5, "placeholder": "09:00", "inputmode": "numeric"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return format_minute(value) if isinstance(value, int) else value

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        return minute_parse(str(value))


class TargetFormField(forms.CharField):
    """A target such as ``6h``, ``90m`` or ``1.5d``, cleaned to the engine's canonical text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 8, "placeholder": "6h, 90m, 1.5d"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        return target_normalise(value)


class OpeningHoursForm(forms.ModelForm):
    open_minute = MinuteOfDayField(label=_("opens"), help_text=_("HH:MM"))
    close_minute = MinuteOfDayField(label=_("closes"), help_text=_("HH:MM; 24:00 for midnight"))

    class Meta:
        model = OpeningHours
        fields = ["weekday", "open_minute", "close_minute"]


class OpeningHoursFormSet(BaseInlineFormSet):
    """Reports a range that overlaps another range of the same weekday on the later range's fields."""

    def clean(self):
        super().clean()
        by_day: dict[int, list[tuple[int, int, forms.Form]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            if data.get("weekday") is None or data.get("open_minute") is None or data.get("close_minute") is None:
                continue
            by_day.setdefault(int(data["weekday"]), []).append((data["open_minute"], data["close_minute"], form))
        for weekday, ranges in by_day.items():
            ranges.sort(key=lambda item: item[:2])
            for (a_open, a_close, _first), (b_open, b_close, second) in pairwise(ranges):
                if b_open < a_close:
                    second.add_error("open_minute", overlap_error(weekday, (a_open, a_close), (b_open, b_close)))
        if any(form.errors for form in self.forms):
            raise ValidationError(_("Please correct the overlapping opening hours."))


class PolicyForm(forms.ModelForm):
    pause_statuses = forms.TypedMultipleChoiceField(
        label=_("statuses that pause the resolution clock"),
        choices=[(status.value, status.label) for status in Status if status in OPEN_STATUSES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("While a ticket is in one of these statuses its resolution time does not run."),
    )
    post_breach_after = TargetFormField(
        label=_("escalate again after"),
        required=False,
        help_text=_("Business time after a missed deadline when managers are told again, e.g. 2h or 1d."),
    )

    class Meta:
        model = Policy
        fields = ["name", "slug", "calendar", "warning_threshold_percent", "pause_statuses", "post_breach_after"]


class PolicyTargetForm(forms.ModelForm):
    reaction_target = TargetFormField(label=_("reaction target"), help_text=_("e.g. 6h, 90m or 1.5d"))
    resolution_target = TargetFormField(
        label=_("resolution target"), required=False, help_text=_("Only where the SLA promises one.")
    )
    next_reply_target = TargetFormField(
        label=_("next-reply target"), required=False,
        help_text=_("Each customer message after the first reaction is answered within it (e.g. 4h)."),
    )

    class Meta:
        model = PolicyTarget
        fields = ["severity", "reaction_target", "resolution_target", "next_reply_target"]
