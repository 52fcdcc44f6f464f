from django import forms
from django.utils.translation import gettext_lazy as _


class ReleaseForm(forms.Form):
    version = forms.CharField(label=_("Version"), max_length=40)
    is_security = forms.BooleanField(label=_("Security update"), required=False)
    notes_de = forms.CharField(label=_("Release notes (German)"), required=False, max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 5}))
    notes_en = forms.CharField(label=_("Release notes (English)"), required=False, max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 5}))
