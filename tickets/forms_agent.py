"""Forms of the agent queue and workspace. They parse and explain; the services decide and write."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import access
from accounts.models import Role, User
from products.selectors import releases_to_choose
from sla.choices import Category, Severity, SlaState, Status
from tickets import transitions
from tickets.choices import Channel
from tickets.forms import SEVERITY_EXPLANATIONS, CategoryRulesMixin, ReplyForm
from tickets.limits import COMMENT_MAX_LENGTH, TICKET_DESCRIPTION_MAX_LENGTH, TextLengthValidator
from tickets.models import WorkType
from tickets.models.effort import MAX_MINUTES_PER_ENTRY
from tickets.selectors_queue import (
    ASSIGNEE_ANYONE,
    ASSIGNEE_ME,
    ASSIGNEE_NOBODY,
    STATUS_ALL,
    STATUS_OPEN,
    TEAM_NONE,
    QueueFilters,
)

ANY = [("", pgettext_lazy("filter", "Any"))]


def _person_choices(colleagues) -> list[tuple[str, str]]:
    return [(str(pk), (f"{first} {last}".strip() or username)) for pk, first, last, username in colleagues]


class QueueFilterForm(forms.Form):
    """The queue's filters, from the URL. A value that is not one of the choices is reported next
    to its field and ignored."""

    q = forms.CharField(label=pgettext_lazy("search field", "Search"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=ANY + list(Severity.choices), required=False)
    sla_state = forms.ChoiceField(label=_("SLA state"), choices=ANY + list(SlaState.choices), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=ANY + list(Channel.choices), required=False)
    organisation = forms.CharField(
        label=_("Organisation"), max_length=100, required=False,
        help_text=_("Part of the name, or the customer number."),
    )
    tag = forms.CharField(label=_("Tag"), max_length=50, required=False)

    DEFAULTS = {"status": STATUS_OPEN, "assignee": ASSIGNEE_ANYONE}

    def __init__(self, data, *, teams, colleagues):
        super().__init__(data)
        self.fields["status"].choices = [
            (STATUS_OPEN, _("All open")), *Status.choices, (STATUS_ALL, pgettext_lazy("statuses", "All")),
        ]
        self.fields["team"].choices = ANY + [(TEAM_NONE, _("No team"))] + [(str(pk), name) for pk, name in teams]
        self.fields["assignee"].choices = [
            (ASSIGNEE_ANYONE, pgettext_lazy("assignee", "Anyone")),
            (ASSIGNEE_ME, _("Me")),
            (ASSIGNEE_NOBODY, _("Unassigned")),
            *_person_choices(colleagues),
        ]
        for name, field in self.fields.items():
            is_select = isinstance(field, forms.ChoiceField)
            css = "form-select form-select-sm" if is_select else "form-control form-control-sm"
            if name in self.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css
        self.fields["q"].widget.input_type = "search"
        self.fields["organisation"].widget.attrs["title"] = self.fields["organisation"].help_text

    def filters(self) -> QueueFilters:
        """The valid filters (an invalid field falls back to its default)."""
        self.is_valid()
        values = {}
        for name in QueueFilters.__dataclass_fields__:
            value = self.cleaned_data.get(name) if name not in self.errors else None
            values[name] = value or self.DEFAULTS.get(name, "")
        return QueueFilters(**values)

    def query_string(self) -> str:
        """The valid filters that differ from the defaults, as a query string (links, saved views)."""
        filters = self.filters()
        pairs = [
            (name, getattr(filters, name))
            for name in QueueFilters.__dataclass_fields__
            if getattr(filters, name) and getattr(filters, name) != self.DEFAULTS.get(name, "")
        ]
        return urlencode(pairs)


class BulkActionForm(forms.Form):
    ACTION_ASSIGN, ACTION_STATUS, ACTION_TAG = "assign", "status", "tag"

    tickets = forms.TypedMultipleChoiceField(coerce=int, label=_("Tickets"), error_messages={
        "required": _("Please select at least one ticket."),
    })
    action = forms.ChoiceField(choices=[(ACTION_ASSIGN, _("Assign")), (ACTION_STATUS, _("Change status")),
                                        (ACTION_TAG, _("Add or remove tags"))])
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    status = forms.ChoiceField(label=_("New status"), choices=ANY + list(Status.choices), required=False)
    take_over = forms.BooleanField(label=_("Also reassign tickets that someone else holds"), required=False)
    add_tags = forms.CharField(label=_("Add tags"), max_length=500, required=False)
    remove_tags = forms.CharField(label=_("Remove tags"), max_length=500, required=False)
    back = forms.CharField(required=False, max_length=2000)

    def __init__(self, data, *, user, colleagues):
        super().__init__(data)
        self.user = user
        # Any id is accepted here; the service reports the ones the agent may not see.
        self.fields["tickets"].choices = [(value, value) for value in data.getlist("tickets") if value.isdigit()]
        self.fields["assignee"].choices = [
            (ASSIGNEE_ME, _("Me")), (ASSIGNEE_NOBODY, _("Nobody")), *_person_choices(colleagues),
        ]

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.ACTION_ASSIGN:
            choice = cleaned.get("assignee")
            if not choice:
                self.add_error("assignee", _("Please choose whom to assign the tickets to."))
            elif choice == ASSIGNEE_ME:
                cleaned["assignee_user"] = self.user
            elif choice == ASSIGNEE_NOBODY:
                cleaned["assignee_user"] = None
            else:
                cleaned["assignee_user"] = access.colleagues_for(self.user).get(pk=int(choice))
        elif action == self.ACTION_STATUS and not cleaned.get("status"):
            self.add_error("status", _("Please choose the new status."))
        elif action == self.ACTION_TAG and not (cleaned.get("add_tags", "").strip()
                                                 or cleaned.get("remove_tags", "").strip()):
            self.add_error("add_tags", _("Please name the tags to add or remove."))
        return cleaned


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=60)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


class AgentReplyForm(ReplyForm):
    """A public reply or an internal note: the button pressed decides (`kind` in the POST)."""

    KIND_REPLY, KIND_NOTE = "reply", "note"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Reply or internal note")
        self.fields["body"].widget.attrs.update({"rows": 6, "data-testid": "agent-reply-body"})
        self.fields["body"].help_text = _(
            "Markdown is allowed. A reply goes to the customer; an internal note is for agents only."
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        # Workaround has its own form (it needs the text); the rest follows the transition table.
        allowed = transitions.ALLOWED_TRANSITIONS.get(ticket.status, frozenset()) - {Status.WORKAROUND}
        self.fields["status"].choices = [(code, label) for code, label in Status.choices if code in allowed]


class WorkaroundForm(forms.Form):
    workaround = forms.CharField(
        label=_("Workaround"), widget=forms.Textarea(attrs={"rows": 4}),
        validators=[TextLengthValidator(COMMENT_MAX_LENGTH)],
        help_text=_("Markdown, shown to the customer. The ticket moves to “Workaround provided”."),
    )


class FixReleaseForm(forms.Form):
    product_release = forms.ModelChoiceField(
        label=_("Product release"), queryset=releases_to_choose(), required=False,
        help_text=_("When it is published, the requester is told."),
    )
    release = forms.CharField(
        label=_("Permanent fix in release"), max_length=50, required=False,
        help_text=_("Shown to the customer. Leave empty to clear it (or to use the product release's name)."),
    )


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required. Shown to the customer in the ticket's history."),
        error_messages={"required": _("Please give a reason for the change.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Please give a reason for the change."))
        return reason


class MoveForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Move to team"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = access.teams_for(user).order_by("name")


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    expected = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        colleagues = access.colleagues_for(user).order_by("first_name", "last_name").values_list(
            "pk", "first_name", "last_name", "username"
        )
        self.fields["assignee"].choices = [("", _("Nobody")), *_person_choices(colleagues)]

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("assignee")
        cleaned["assignee_user"] = access.colleagues_for(self.user).get(pk=int(choice)) if choice else None
        expected = (cleaned.get("expected") or "").strip()
        cleaned["expected_id"] = int(expected) if expected.isdigit() else None
        return cleaned


class TimeEntryForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=MAX_MINUTES_PER_ENTRY)
    work_type = forms.ChoiceField(label=_("Work type"), choices=WorkType.choices, initial=WorkType.ANALYSIS)
    worked_on = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)
    out_of_hours = forms.BooleanField(label=_("Outside support hours"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("worked_on", timezone.localdate())
        super().__init__(*args, **kwargs)


PLEASE_CHOOSE = [("", _("Please choose"))]


class PhoneTicketForm(CategoryRulesMixin, forms.Form):
    """A call logged by an agent: who called, when the call came in, and what the report says."""

    category_required = {"severity": _("Please choose how severe the fault is.")}

    requester = forms.ModelChoiceField(label=_("Caller"), queryset=None)
    reported_at = forms.DateTimeField(
        label=_("Call came in at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("The SLA deadlines count from this moment. Not in the future, not before the contract started."),
    )
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices, initial=Category.FAULT)
    severity = forms.ChoiceField(label=_("Severity"), choices=PLEASE_CHOOSE + list(Severity.choices),
                                 required=False, help_text=_("Only for faults and data loss."))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What the caller reported"), widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("Markdown is allowed."),
                                  validators=[TextLengthValidator(TICKET_DESCRIPTION_MAX_LENGTH)])
    affected_system = forms.CharField(label=_("Affected system or product"), max_length=200, required=False)
    occurring_since = forms.CharField(label=_("Since when?"), max_length=200, required=False)
    impact = forms.CharField(label=_("Impact"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                             validators=[TextLengthValidator(TICKET_DESCRIPTION_MAX_LENGTH)])
    callback_phone = forms.CharField(label=_("Call-back phone"), max_length=40, required=False)
    remote_session_id = forms.CharField(label=_("Remote-maintenance session id"), max_length=100, required=False)
    idempotency_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = (
            User.objects.filter(role=Role.CONTACT, is_active=True, organisation__in=access.organisations_for(user))
            .select_related("organisation").order_by("organisation__name", "last_name", "first_name")
        )
        self.fields["requester"].label_from_instance = lambda u: f"{u} · {u.organisation}"
        self.fields["severity"].choices = PLEASE_CHOOSE + [
            (code, f"{label}: {SEVERITY_EXPLANATIONS[code]}") for code, label in Severity.choices
        ]
        self._apply_category_rules()

    def clean(self):
        cleaned = super().clean()
        self._check_category_rules(cleaned)
        return cleaned
