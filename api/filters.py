"""Filters of the ticket list (django-filter). Ids are compared as numbers, without looking
them up, so a filter costs no extra query and a foreign id simply matches nothing."""

from datetime import UTC

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from sla.choices import OPEN_STATUSES, Category, Severity, SlaState, Status
from tickets.choices import Channel
from tickets.models import Ticket


class IdFilter(django_filters.NumberFilter):
    """A positive whole number within the database's range."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class InstantField(IsoDateTimeField):
    """An ISO 8601 instant, normalised to UTC, between the years 1900 and 2200."""

    def to_python(self, value):
        instant = super().to_python(value)
        if instant is None:
            return None
        try:
            instant = instant.astimezone(UTC)
        except (OverflowError, ValueError):
            instant = None
        if instant is None or not 1900 <= instant.year <= 2200:
            raise forms.ValidationError(_("Enter a date and time between the years 1900 and 2200."), code="invalid")
        return instant


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0, any case); anything else is an error instead of no filter."""

    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(_("Enter true or false."), code="invalid") from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class TicketFilter(django_filters.FilterSet):
    # distinct=False: a ticket has one value of each, and DISTINCT would sort every match.
    status = django_filters.MultipleChoiceFilter(
        distinct=False, choices=Status.choices, help_text=_("One or more statuses.")
    )
    is_open = StrictBooleanFilter(
        method="filter_open", help_text=_("Only open (true) or only resolved and closed (false) tickets.")
    )
    category = django_filters.MultipleChoiceFilter(distinct=False, choices=Category.choices)
    severity = django_filters.MultipleChoiceFilter(distinct=False, choices=Severity.choices)
    channel = django_filters.MultipleChoiceFilter(distinct=False, choices=Channel.choices)
    sla_state = django_filters.MultipleChoiceFilter(
        distinct=False, choices=SlaState.choices, help_text=_("The stored SLA state.")
    )
    organisation = IdFilter(field_name="organisation_id")
    requester = IdFilter(field_name="requester_id")
    assignee = IdFilter(field_name="assignee_id")
    team = IdFilter(field_name="team_id")
    reference = django_filters.CharFilter(field_name="reference", lookup_expr="iexact")
    q = django_filters.CharFilter(method="filter_text", help_text=_("Text in the reference or the subject."))
    reported_after = InstantFilter(field_name="reported_at", lookup_expr="gte")
    reported_before = InstantFilter(field_name="reported_at", lookup_expr="lt")
    updated_after = InstantFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Ticket
        fields: list[str] = []

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(subject__icontains=value))
