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
from tickets.uploads import allowed_extensions, check_upload, max_bytes, size_text

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
    """Splits the uploaded files into accepted ones and refusal messages, and states the limits on
    the field: the accepted types and the size limit in its help text, the limit in bytes and the
    message for a file over it for the browser's check before the upload (`static/js/ticket_form.js`).
    The input keeps its files across an htmx re-render of the form (`hx-preserve`)."""

    def _describe_attachments(self) -> None:
        field = self.fields["attachments"]
        limit = size_text(max_bytes())
        field.help_text = _("Accepted types: %(types)s. At most %(limit)s per file.") % {
            "types": ", ".join(allowed_extensions()), "limit": limit,
        }
        field.widget.attrs.update({
            "data-max-bytes": str(max_bytes()),
            "data-max-label": limit,
            "data-too-large": _("“%(name)s” was not attached: it is %(size)s, allowed are %(limit)s."),
            "accept": ",".join(f".{extension}" for extension in allowed_extensions()),
            "hx-preserve": "true",
        })

    def _split_files(self) -> None:
        self.accepted_files, self.refused_files = [], []
        for uploaded in self.cleaned_data.get("attachments") or []:
            try:
                check_upload(uploaded)
            except AttachmentRefused as refusal:
                self.refused_files.append(refusal.messages[0])
            else:
                self.accepted_files.append(uploaded)


class CategoryRulesMixin:
    """Fields a report needs only for some categories: `category_required` names them with their
    message. It is the form's one rule: `clean` applies it, and the fields are marked required
    (the asterisk, `required`, the message for an empty field) when the chosen category needs
    them, and carry the categories that do (`data-required-for`), so the browser moves the marks
    when the category changes before anything is submitted. The severity is shown only for those
    categories (`data-shown-for`; without the script it stays visible and is ignored)."""

    category_required: dict[str, str] = {}

    def _apply_category_rules(self) -> None:
        category = (self.data.get("category") if self.is_bound else None) or self.get_initial_for_field(
            self.fields["category"], "category")
        needed = category in CATEGORIES_WITH_SEVERITY
        for name, message in self.category_required.items():
            field = self.fields[name]
            field.required = needed
            field.error_messages["required"] = message
            field.widget.attrs["data-required-for"] = categories_with_severity()
        if "severity" in self.fields:  # asked only where it counts
            self.fields["severity"].widget.attrs["data-shown-for"] = categories_with_severity()

    def _check_category_rules(self, cleaned: dict) -> None:
        category = cleaned.get("category")
        if category in CATEGORIES_WITH_SEVERITY:
            for name, message in self.category_required.items():
                if not (cleaned.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, message)
        elif category:
            cleaned["severity"] = ""


def categories_with_severity() -> str:
    """The categories that need a severity (and the other fault fields), for the browser."""
    return " ".join(sorted(CATEGORIES_WITH_SEVERITY))


class TicketCreateForm(CategoryRulesMixin, AttachmentsMixin, forms.Form):
    category_required = {
        "severity": _("Please choose how severe the fault is."),
        "affected_system": _("Please name the affected system or product."),
        "occurring_since": _("Please tell us since when the fault occurs."),
        "impact": _("Please describe the impact."),
    }
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
        self._apply_category_rules()
        self._describe_attachments()

    def clean(self):
        cleaned = super().clean()
        self._check_category_rules(cleaned)
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
        self._describe_attachments()

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
