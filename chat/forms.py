from django import forms
from django.utils.translation import gettext_lazy as _

from sla.choices import Category, Severity

from . import limits


class StartForm(forms.Form):
    body = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = limits.message_max_length()


class VisitorStartForm(StartForm):
    visitor_name = forms.CharField(label=_("Your name"), max_length=100)
    visitor_email = forms.EmailField(label=_("Your e-mail address"))
    field_order = ["visitor_name", "visitor_email", "body"]


class TicketForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200,
                              widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices,
                                 widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False,
                                 widget=forms.Select(attrs={"class": "form-select form-select-sm"}))


class AppendForm(forms.Form):
    reference = forms.CharField(label=_("Ticket reference"), max_length=30)
