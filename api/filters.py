"""Filters of the ticket list (django-filter). Ids are compared as numbers, without looking
them up, so a filter costs no extra query and a foreign id simply matches nothing. An empty value
(`?status=`, as an HTML form sends it) is no filter; the schema says so (`allowEmptyValue`)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import MultipleChoiceField
from drf_spectacular.utils import extend_schema_field

from accounts import access
from api.formats import FIRST_YEAR, INSTANT_MESSAGE, INSTANT_PATTERN, LAST_YEAR, instant_utc
from api.serializers.common import MAX_ID
from sla.choices import OPEN_STATUSES, Category, Severity, SlaState, Status
from tickets.choices import Channel
from tickets.models import TaggedTicket, Ticket


class IdField(forms.IntegerField):
    """Digits only (no sign, decimal point, exponent or surrounding space), 1 to MAX_ID."""

    def to_python(self, value):
        if value not in self.empty_values and not (isinstance(value, str) and value.isascii() and value.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A positive whole number within the database's range."""

    field_class = IdField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class InstantField(forms.Field):
    """An instant as `api.formats.INSTANT_PATTERN` states it (with seconds and an offset, years
    1900 to 2200 as written), normalised to UTC."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        instant = instant_utc(value)
        if instant is None:
            raise forms.ValidationError(
                INSTANT_MESSAGE, code="invalid", params={"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return instant


@extend_schema_field({"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN})
class InstantFilter(django_filters.Filter):
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


class ChoicesField(MultipleChoiceField):
    """Empty values are left out: `?status=` is no filter, `?status=&status=new` is new."""

    def to_python(self, value):
        return [choice for choice in super().to_python(value) if choice != ""]


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    field_class = ChoicesField


class TicketFilter(django_filters.FilterSet):
    # distinct=False: a ticket has one value of each, and DISTINCT would sort every match.
    status = ChoicesFilter(
        distinct=False, choices=Status.choices, help_text=_("One or more statuses.")
    )
    is_open = StrictBooleanFilter(
        method="filter_open", help_text=_("Only open (true) or only resolved and closed (false) tickets.")
    )
    category = ChoicesFilter(distinct=False, choices=Category.choices)
    severity = ChoicesFilter(distinct=False, choices=Severity.choices)
    channel = ChoicesFilter(distinct=False, choices=Channel.choices)
    sla_state = ChoicesFilter(
        distinct=False, choices=SlaState.choices, help_text=_("The stored SLA state.")
    )
    organisation = IdFilter(field_name="organisation_id")
    requester = IdFilter(field_name="requester_id")
    assignee = IdFilter(field_name="assignee_id")
    team = IdFilter(field_name="team_id")
    reference = django_filters.CharFilter(field_name="reference", lookup_expr="iexact")
    q = django_filters.CharFilter(method="filter_text", help_text=_("Text in the reference or the subject."))
    tag = django_filters.CharFilter(
        method="filter_tag", max_length=50,
        help_text=_("Agents: tickets with this tag (case-insensitive). Tags are the agents' labels: for anyone "
                    "else it matches nothing."),
    )
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

    def filter_tag(self, queryset, name, value):
        value = " ".join((value or "").split())
        if not value:
            return queryset
        if not access.is_agent(getattr(self.request, "user", None)):
            return queryset.none()
        tagged = TaggedTicket.objects.filter(tag__name__iexact=value)
        return queryset.filter(pk__in=tagged.values("content_object_id"))

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(subject__icontains=value))
