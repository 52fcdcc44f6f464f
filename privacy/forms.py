from django import forms
from django.utils.translation import gettext_lazy as _


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("User name, name or e-mail"), max_length=100, required=False)


class ErasureForm(forms.Form):
    """The erasure is confirmed by typing the person's user name and giving a reason."""

    confirmation = forms.CharField(
        label=_("Type the user name to confirm"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the request's date and channel. Kept in the erasure record."),
    )
