"""The audit trail of the SLA configuration as managers read it: the GET filter (object kind, object,
actor, period), the rows rendered in the reader's language (field names, choice labels, weekdays)
and the CSV file (one line per changed field). Reads only; `sla.services.audit` writes the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sla import selectors
from sla.choices import Status
from sla.models import SlaChange
from sla.models.calendars import Weekday
from sla.services.audit import MODEL_OF_KIND

PAGE_SIZE = 50
NONE = "\u2013"  # an en dash: no value
RANGE = "\u2013"


class SlaAuditFilter(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Object kind"), required=False)
    object = forms.CharField(label=gettext_lazy("Object"), required=False, max_length=100,
                             help_text=gettext_lazy("A part of its name, e.g. Betriebsferien."))
    actor = forms.ChoiceField(label=gettext_lazy("Changed by"), required=False)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=gettext_lazy("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *SlaChange.Kind.choices]
        self.fields["actor"].choices = [
            ("", _("Anyone")),
            (selectors.SYSTEM_ACTOR, _("Commands and tasks")),
            *((str(user.pk), str(user)) for user in selectors.sla_change_actors()),
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The last day must not be before the first day."))
        return cleaned


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def sla_audit_changes(form: SlaAuditFilter):
    """The changes the (valid) filter selects; days are whole local days."""
    data = form.cleaned_data
    return selectors.sla_changes(
        kind=data.get("kind") or "",
        object_text=(data.get("object") or "").strip(),
        actor=data.get("actor") or "",
        since=_midnight(data["date_from"]) if data.get("date_from") else None,
        until=_midnight(data["date_to"] + timedelta(days=1)) if data.get("date_to") else None,
    )


# --- rendering --------------------------------------------------------------------------------------


def origin_label(origin: str) -> str:
    if origin == "admin":
        return _("administration")
    if origin.startswith("command:"):
        return _("command %(name)s") % {"name": origin.removeprefix("command:")}
    return origin or _("application")


def actor_label(change: SlaChange) -> str:
    return str(change.actor) if change.actor else _("nobody (command or task)")


def field_label(kind: str, name: str) -> str:
    if kind == SlaChange.Kind.OPENING_HOURS:
        try:
            return str(Weekday(int(name)).label)
        except ValueError:
            return name
    try:
        return str(MODEL_OF_KIND[kind]._meta.get_field(name).verbose_name)
    except (KeyError, FieldDoesNotExist):
        return name


def value_label(kind: str, name: str, value) -> str:
    """One raw value in the reader's language."""
    if value is None or value == "" or value == []:
        return _("closed") if kind == SlaChange.Kind.OPENING_HOURS else NONE
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return str(value.get("name", value.get("id", "")))
    if kind == SlaChange.Kind.OPENING_HOURS and isinstance(value, list):
        return ", ".join(str(item).replace("-", RANGE) for item in value)
    if name == "pause_statuses" and isinstance(value, list):
        return ", ".join(_choice(Status.choices, code) for code in value)
    try:
        field = MODEL_OF_KIND[kind]._meta.get_field(name)
    except (KeyError, FieldDoesNotExist):
        field = None
    if field is not None and field.choices:
        return _choice(field.choices, value)
    return str(value)


def _choice(choices, code) -> str:
    return str(dict(choices).get(code, code))


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


def field_changes(change: SlaChange) -> list[FieldChange]:
    """The changed fields of one row, in order, with their old and new values as text."""
    old, new = change.old_values or {}, change.new_values or {}
    names = list(dict.fromkeys([*old, *new]))
    if change.object_kind == SlaChange.Kind.OPENING_HOURS:
        names.sort(key=lambda name: int(name) if name.isdigit() else 99)
    return [
        FieldChange(
            name=name, label=field_label(change.object_kind, name),
            old=value_label(change.object_kind, name, old.get(name)) if change.action != SlaChange.Action.CREATED
            else NONE,
            new=value_label(change.object_kind, name, new.get(name)) if change.action != SlaChange.Action.DELETED
            else NONE,
        )
        for name in names
    ]


@dataclass(frozen=True)
class AuditRow:
    change: SlaChange
    actor: str
    origin: str
    kind: str
    action: str
    fields: list[FieldChange]


def audit_rows(changes) -> list[AuditRow]:
    return [
        AuditRow(change=change, actor=actor_label(change), origin=origin_label(change.origin),
                 kind=change.get_object_kind_display(), action=change.get_action_display(),
                 fields=field_changes(change))
        for change in changes
    ]


def audit_csv_rows(changes) -> list[list]:
    """Header plus one line per changed field (a change without fields: one line)."""
    rows: list[list] = [[_("At"), _("Changed by"), _("Origin"), _("Object kind"), _("Object id"), _("Object"),
                         _("Action"), _("Field"), _("Old value"), _("New value")]]
    for row in audit_rows(changes.iterator(chunk_size=500)):
        head = [row.change.at, row.actor, row.origin, row.kind, row.change.object_id, row.change.object_repr,
                row.action]
        for field in row.fields or [FieldChange("", "", "", "")]:
            rows.append([*head, field.label, field.old, field.new])
    return rows
