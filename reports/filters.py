"""The dashboard's filters: a GET form (so every view of the figures is a shareable URL) and the
`DashboardFilter` it yields.

Periods are whole local days in the project's time zone (settings.TIME_ZONE), from the first
day's midnight up to (not including) the midnight after the last day:
- last 30 days (the default): today and the 29 days before;
- this week / this month: from Monday / the 1st up to today; last week / last month: complete;
- custom: from and to (inclusive), at most 366 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import access
from accounts.models import Organisation, Team
from sla.choices import Severity
from sla.models import Calendar

MAX_CUSTOM_DAYS = 366
NO_SEVERITY = "none"


class Period:
    LAST_30_DAYS = "last30"
    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    CUSTOM = "custom"

    CHOICES = [
        (LAST_30_DAYS, _("Last 30 days")),
        (THIS_WEEK, _("This week")),
        (LAST_WEEK, _("Last week")),
        (THIS_MONTH, _("This month")),
        (LAST_MONTH, _("Last month")),
        (CUSTOM, _("Custom range")),
    ]


def period_days(period: str, today: date) -> tuple[date, date]:
    """(first day, last day), both inclusive, of a preset period."""
    if period == Period.THIS_WEEK:
        return today - timedelta(days=today.weekday()), today
    if period == Period.LAST_WEEK:
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if period == Period.THIS_MONTH:
        return today.replace(day=1), today
    if period == Period.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return today - timedelta(days=29), today


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class DashboardFilter:
    """What the figures are about: the tickets the user may see, narrowed by the filters, and the
    period [start, end) as aware instants (first_day and last_day are inclusive local dates)."""

    period: str
    first_day: date
    last_day: date
    organisation_ids: tuple[int, ...] | None = None  # None: every organisation the user may see
    visible_organisations: object = None  # a queryset (organisations_for(user)) or None in tests
    team_id: int | None = None
    severity: str = ""  # "" all, "none" tickets without severity, else a Severity code
    calendar_id: int | None = None

    @property
    def start(self) -> datetime:
        return local_midnight(self.first_day)

    @property
    def end(self) -> datetime:
        return local_midnight(self.last_day + timedelta(days=1))

    def scope_q(self) -> Q:
        """The tickets the figures are about (the period is applied per figure)."""
        q = Q()
        if self.visible_organisations is not None:
            q &= Q(organisation__in=self.visible_organisations)
        if self.organisation_ids is not None:
            q &= Q(organisation_id__in=self.organisation_ids)
        if self.team_id is not None:
            q &= Q(team_id=self.team_id)
        if self.severity == NO_SEVERITY:
            q &= Q(severity="")
        elif self.severity:
            q &= Q(severity=self.severity)
        if self.calendar_id is not None:
            q &= Q(sla_calendar_id=self.calendar_id)
        return q


class PlainSelect(forms.Select):
    """A select whose options are formatted in Python rather than one template per option: the
    organisation filter can list thousands of customers."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((str(key), " selected" if str(key) in selected else "", label) for key, label in self.choices),
        )
        return format_html("<select name=\"{}\"{}>{}</select>", name, flatatt(self.build_attrs(self.attrs, attrs)),
                           options)


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=Period.CHOICES, required=False, widget=PlainSelect)
    start = forms.DateField(
        label=pgettext_lazy("date range", "From"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=pgettext_lazy("date range", "To"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False, empty_label=_("All"),
        widget=PlainSelect,
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All"), widget=PlainSelect
    )
    severity = forms.ChoiceField(label=_("Severity"), required=False, widget=PlainSelect)
    desk = forms.ModelChoiceField(
        label=_("Desk"), queryset=Calendar.objects.none(), required=False, empty_label=_("All"), widget=PlainSelect,
        help_text=_("The business calendar the ticket's deadlines run on."),
    )

    def __init__(self, *args, user, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.today = user, today
        self.fields["organisation"].queryset = access.organisations_for(user).only("pk", "name").order_by("name")
        self.fields["team"].queryset = access.teams_for(user).only("pk", "name").order_by("name")
        self.fields["desk"].queryset = Calendar.objects.only("pk", "name").order_by("name")
        self.fields["severity"].choices = [
            ("", _("All")), *Severity.choices, (NO_SEVERITY, _("Without severity")),
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        return valid

    def clean(self):
        data = super().clean()
        period = data.get("period") or Period.LAST_30_DAYS
        data["period"] = period
        if period != Period.CUSTOM:
            return data
        start, end = data.get("start"), data.get("end")
        if "start" not in self.errors and start is None:
            self.add_error("start", _("Please enter the first day of the range."))
        if "end" not in self.errors and end is None:
            self.add_error("end", _("Please enter the last day of the range."))
        if start and end:
            if end < start:
                self.add_error("end", _("The last day cannot be before the first day."))
            elif (end - start).days + 1 > MAX_CUSTOM_DAYS:
                self.add_error("end", _("Please choose at most %(days)d days.") % {"days": MAX_CUSTOM_DAYS})
        return data

    def to_filter(self) -> DashboardFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        period = data["period"]
        first, last = (data["start"], data["end"]) if period == Period.CUSTOM else period_days(period, self.today)
        organisation, team, desk = data.get("organisation"), data.get("team"), data.get("desk")
        return DashboardFilter(
            period=period,
            first_day=first,
            last_day=last,
            organisation_ids=(organisation.pk,) if organisation else None,
            visible_organisations=access.organisations_for(self.user),
            team_id=team.pk if team else None,
            severity=data.get("severity") or "",
            calendar_id=desk.pk if desk else None,
        )


def dashboard_filter_from(*, user, data, today: date) -> tuple[DashboardFilterForm, DashboardFilter | None]:
    """Bind the form to the query string; the filter is None when the input is invalid."""
    form = DashboardFilterForm(data or None, user=user, today=today)
    if not data:
        form = DashboardFilterForm({"period": Period.LAST_30_DAYS}, user=user, today=today)
    if not form.is_valid():
        return form, None
    return form, form.to_filter()


class MonthlyReportForm(forms.Form):
    """Which organisation and month the monthly report is about."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="customer_number"
    )
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Please enter a month as year and month, e.g. 2026-11.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.organisations_for(user).order_by("name")
        self.fields["organisation"].widget.attrs["class"] = "form-select"
        self.fields["month"].widget.attrs["class"] = "form-control"
