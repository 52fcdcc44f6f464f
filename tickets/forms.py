"""Portal forms. They parse and explain; the services decide and write."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sla.choices import CATEGORIES_WITH_SEVERITY, Category, Severity
from tickets.errors import AttachmentRefused
from tickets.limits import COMMENT_MAX_LENGTH, TICKET_DESCRIPTION_MAX_LENGTH, TextLengthValidator
from tickets.uploads import allowed_extensions, check_upload

SEVERITY_EXPLANATIONS = {
    Severity.SEVERE: _(
        "The fault significantly affects use of the system; reaction within 6 hours inside the published "
        "support hours."
    ),
    Severity.MINOR: _("The fault makes use harder; reaction within 1.5 working days."),
}


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. Each is checked by `tickets.uploads`; refused files do not
    make the form invalid (the rest of the request still saves), they are listed in
    `form.refused_files` for a message."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AttachmentsMixin:
    """Splits the uploaded files into accepted ones and refusal messages."""

    def _split_files(self) -> None:
        self.accepted_files, self.refused_files = [], []
        for uploaded in self.cleaned_data.get("attachments") or []:
            try:
                check_upload(uploaded)
            except AttachmentRefused as refusal:
                self.refused_files.append(refusal.messages[0])
            else:
                self.accepted_files.append(uploaded)


class TicketCreateForm(AttachmentsMixin, forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices, initial=Category.FAULT)
    severity = forms.ChoiceField(
        label=_("How severe is the fault?"),
        choices=[(code, label) for code, label in Severity.choices],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only for faults and data loss."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    affected_system = forms.CharField(
        label=_("Affected system or product"),
        max_length=200,
        required=False,
        help_text=_("Product, module, version, or the device's serial number."),
    )
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[TextLengthValidator(TICKET_DESCRIPTION_MAX_LENGTH)],
        help_text=_(
            "What did you do, what did you expect, what happened instead? Quote error messages exactly. "
            "Markdown is allowed."
        ),
    )
    occurring_since = forms.CharField(
        label=_("Since when?"),
        max_length=200,
        required=False,
        help_text=_("For example “since today 08:15, after the update”."),
    )
    steps_to_reproduce = forms.CharField(
        label=_("Steps to reproduce"),
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[TextLengthValidator(TICKET_DESCRIPTION_MAX_LENGTH)],
        required=False,
        help_text=_("The steps that make the fault appear, one per line."),
    )
    impact = forms.CharField(
        label=_("Impact"),
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[TextLengthValidator(TICKET_DESCRIPTION_MAX_LENGTH)],
        required=False,
        help_text=_("Who cannot work, what is blocked, is there a way around it?"),
    )
    callback_phone = forms.CharField(label=_("Call-back phone"), max_length=40, required=False)
    remote_session_id = forms.CharField(
        label=_("Remote-maintenance session id"),
        max_length=100,
        required=False,
        help_text=_("If you have started the remote-maintenance tool, its session id lets us connect at once."),
    )
    attachments = MultipleFileField(label=_("Attachments"))
    accept_out_of_hours = forms.BooleanField(
        label=_("I accept the paid out-of-hours service for this fault."), required=False
    )
    idempotency_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = [
            (code, f"{label}: {SEVERITY_EXPLANATIONS[code]}") for code, label in Severity.choices
        ]
        self.fields["attachments"].help_text = _("Accepted types: %(types)s.") % {
            "types": ", ".join(allowed_extensions())
        }

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        if category in CATEGORIES_WITH_SEVERITY:
            if not cleaned.get("severity"):
                self.add_error("severity", _("Please choose how severe the fault is."))
            for name, message in (
                ("affected_system", _("Please name the affected system or product.")),
                ("occurring_since", _("Please tell us since when the fault occurs.")),
                ("impact", _("Please describe the impact.")),
            ):
                if not (cleaned.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, message)
        elif category:
            cleaned["severity"] = ""
        self._split_files()
        return cleaned


class ReplyForm(AttachmentsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[TextLengthValidator(COMMENT_MAX_LENGTH)],
        required=False,
        help_text=_("Markdown is allowed."),
    )
    attachments = MultipleFileField(label=_("Attachments"))
    idempotency_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _("Accepted types: %(types)s.") % {
            "types": ", ".join(allowed_extensions())
        }

    def clean(self):
        cleaned = super().clean()
        self._split_files()
        if not (cleaned.get("body") or "").strip() and not self.accepted_files and "body" not in self.errors:
            self.add_error("body", ValidationError(_("Please write a reply or attach a file."), code="empty"))
            for message in self.refused_files:
                self.add_error("attachments", message)
        return cleaned


class TicketSearchForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("search field", "Search"), max_length=100, required=False,
    )
