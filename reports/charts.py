"""The dashboard's key figures as shown, and its chart data in the shape that
`static/js/dashboard.js` hands to Chart.js: plain
JSON (through `json_script`), labels already in the reader's language, percentages as numbers
(None where nothing was decided, drawn as a gap). Each chart's numbers are also the table shown
next to it (its text alternative)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import Dashboard, Summary


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def charts_for(data: Dashboard) -> dict[str, dict]:
    weeks = [date_format(row.week, "SHORT_DATE_FORMAT") for row in data.weeks]
    top = data.top_organisations
    return {
        "weekly": {
            "type": "line",
            "percent": True,
            "labels": weeks,
            "datasets": [
                {"label": _("Reaction SLA met (%)"), "data": [_number(r.reaction.percent) for r in data.weeks]},
                {"label": _("Resolution SLA met (%)"), "data": [_number(r.resolution.percent) for r in data.weeks]},
            ],
        },
        "severity": {
            "type": "bar",
            "stacked": True,
            "labels": [row.label for row in data.severities],
            "datasets": [
                {"label": _("Reaction breaches"), "data": [row.reaction_breaches for row in data.severities]},
                {"label": _("Resolution breaches"), "data": [row.resolution_breaches for row in data.severities]},
            ],
        },
        "organisations": {
            "type": "bar",
            "stacked": True,
            "horizontal": True,
            "labels": [row.name for row in top],
            "datasets": [
                {"label": _("Reaction breaches"), "data": [row.reaction.breached for row in top]},
                {"label": _("Resolution breaches"), "data": [row.resolution.breached for row in top]},
            ],
        },
        "backlog": {
            "type": "bar",
            "labels": [bucket.label for bucket in data.summary.backlog_by_age],
            "datasets": [{"label": _("Open tickets"), "data": [b.count for b in data.summary.backlog_by_age]}],
        },
    }


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str  # formatted for the reader's language; "\u2013" when there is nothing to show
    detail: str = ""


def _formatted(value, places: int, suffix: str = "") -> str:
    if value is None:
        return "\u2013"
    return f"{number_format(value, decimal_pos=places)}{suffix}"


def figures_for(summary: Summary) -> list[Figure]:
    """The key figures as the page shows them (numbers in the reader's format)."""
    return [
        Figure("reaction", _("Reaction SLA met"), _formatted(summary.reaction.percent, 1, "\u00a0%"),
               _("%(met)d of %(decided)d reactions") % {"met": summary.reaction.met,
                                                        "decided": summary.reaction.decided}),
        Figure("resolution", _("Resolution SLA met"), _formatted(summary.resolution.percent, 1, "\u00a0%"),
               _("%(met)d of %(decided)d resolutions with a target") % {
                   "met": summary.resolution.met, "decided": summary.resolution.decided}),
        Figure("next-reply", _("Next-reply SLA met"), _formatted(summary.next_reply.percent, 1, "\u00a0%"),
               _("%(met)d of %(decided)d answers to customer messages") % {
                   "met": summary.next_reply.met, "decided": summary.next_reply.decided}),
        Figure("breaches", _("Breaches"), str(summary.breaches),
               ngettext("in %(count)d ticket", "in %(count)d tickets", summary.breached_tickets)
               % {"count": summary.breached_tickets}),
        Figure("at-risk", _("At risk now"), str(summary.at_risk), _("open tickets past the warning threshold")),
        Figure("backlog", _("Open backlog"), str(summary.backlog), _("open tickets now")),
        Figure("reported", _("Tickets reported"), str(summary.reported), _("in this period")),
        Figure("median", _("Median reaction time"), _formatted(summary.reaction_median_hours, 2, "\u00a0h"),
               ngettext("business hours, %(count)d reaction", "business hours, %(count)d reactions",
                        summary.reactions_measured) % {"count": summary.reactions_measured}),
        Figure("p90", _("90th percentile reaction time"), _formatted(summary.reaction_p90_hours, 2, "\u00a0h"),
               _("business hours: 9 of 10 reactions were faster or as fast")),
    ]
