"""Calendars and policies (read), and the deadline preview with its reasons."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import RuleRefusal
from api.formats import instant_parse
from api.selectors import calendars_visible_to, policies_visible_to
from api.serializers.sla import CalendarSerializer, PolicySerializer, SlaPreviewQuerySerializer, SlaPreviewSerializer
from sla import engine
from sla.calendars import business_calendar_for
from sla.models.calendars import Weekday
from sla.services import deadline_for, whole_second
from sla.targets import target_parse

from .base import PersonApiMixin

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")
# The preview computes at most this far ahead (an open-ended calendar would otherwise search for ever).
MAX_PREVIEW_DAYS, MAX_PREVIEW_SECONDS = 365, 2000 * 3600


@extend_schema_view(
    list=extend_schema(summary="List business calendars"),
    retrieve=extend_schema(summary="Read a business calendar", parameters=[SLUG]),
)
class CalendarViewSet(PersonApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CalendarSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = None

    def get_queryset(self):
        return calendars_visible_to(user=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="List service-level policies"),
    retrieve=extend_schema(summary="Read a service-level policy", parameters=[SLUG]),
)
class PolicyViewSet(PersonApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PolicySerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = None

    def get_queryset(self):
        return policies_visible_to(user=self.request.user)


def _parse_start(text: str, zone) -> datetime:
    """`text` matches `LOCAL_INSTANT_PATTERN` (the serializer checked it): a day that does not
    exist (30 February) is the only syntax left to refuse (400); an instant the calendar's zone
    cannot show is a rule's refusal (422)."""
    value = instant_parse(text.replace(" ", "+"), offset_required=False)  # a "+" sent unencoded arrives as a space
    if value is None:
        raise exceptions.ValidationError(
            {"start": [_("Enter an ISO 8601 date and time, e.g. 2026-12-23T15:30:00+01:00.")]}
        )
    if timezone.is_naive(value):
        value = value.replace(tzinfo=zone)
    try:
        value.astimezone(zone)
    except (OverflowError, ValueError):
        raise RuleRefusal({"start": [_("This instant cannot be used.")]}) from None
    return whole_second(value)


def closed_days_explained(*, business, start: datetime, end: datetime) -> list[dict]:
    """The days in [start, end] (local dates) on which the desk was closed: explicit closed dates
    with their reasons, and weekdays without support hours."""
    explicit = dict(engine.closed_days_between(business, start, end))
    days = []
    day, last = start.astimezone(business.zone).date(), end.astimezone(business.zone).date()
    while day <= last:
        if day in explicit:
            days.append({"date": day, "kind": "closed_date", "reason": explicit[day]})
        elif not business.weekly[day.weekday()]:
            days.append({"date": day, "kind": "no_hours",
                         "reason": _("No support hours on %(weekday)s.") % {"weekday": Weekday(day.weekday()).label}})
        day += timedelta(days=1)
    return days


@extend_schema(
    summary="Preview a deadline",
    description="The deadline of `target` from `start` on a business calendar, and the closed days in between.",
    parameters=[SlaPreviewQuerySerializer],
    responses={
        200: SlaPreviewSerializer,
        422: OpenApiResponse(description="No deadline can be computed: no business calendar of this name that the "
                                         "caller may see, a target longer than the preview computes or not a whole "
                                         "number of seconds, or a start outside the calendar's holiday data."),
    },
)
class SlaPreviewView(PersonApiMixin, APIView):
    def get(self, request):
        query = SlaPreviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        calendar = calendars_visible_to(user=request.user).filter(slug=data["calendar"]).first()
        if calendar is None:
            raise RuleRefusal({"calendar": [_("No business calendar with this name.")]})
        try:
            target = target_parse(data["target"])
        except Exception as error:  # django ValidationError with a translated message, e.g. 0.5s
            raise RuleRefusal({"target": list(getattr(error, "messages", [str(error)]))}) from None
        if (target.seconds or 0) > MAX_PREVIEW_SECONDS or (target.days or 0) > MAX_PREVIEW_DAYS:
            raise RuleRefusal(
                {"target": [_("Preview targets up to %(days)d working days or %(hours)d hours.")
                            % {"days": MAX_PREVIEW_DAYS, "hours": MAX_PREVIEW_SECONDS // 3600}]}
            )
        business = business_calendar_for(calendar=calendar)
        start = _parse_start(data["start"], business.zone)
        try:
            deadline = deadline_for(calendar=calendar, start=start, target=target)
            closed = closed_days_explained(business=business, start=start, end=deadline)
        except engine.OutOfRangeError as error:
            raise RuleRefusal(
                {"start": [_("Deadlines on this calendar can be computed for %(first)s to %(last)s only "
                             "(no holiday data for %(year)s).")
                           % {"first": calendar.holidays_from_year, "last": calendar.holidays_until_year,
                              "year": error.year}]}
            ) from None
        except engine.InstantError:
            raise RuleRefusal({"start": [_("This instant cannot be used.")]}) from None
        except (engine.EngineError, OverflowError):
            raise RuleRefusal(
                {"start": [_("No deadline can be computed on this calendar from this instant.")]}
            ) from None
        body = {
            "calendar": calendar.slug,
            "time_zone": calendar.time_zone,
            "start": start.astimezone(business.zone),
            "target": str(target),
            "deadline": deadline,
            "closed_days": closed,
        }
        with timezone.override(business.zone):
            return Response(SlaPreviewSerializer(body).data)
