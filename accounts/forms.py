from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class LoginForm(AuthenticationForm):
    """The sign-in form: a failed sign-in says that the password was wrong (or the account
    unknown, which it must not tell apart), not to fill in the fields."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The password was wrong, or there is no account with this user name. Both are case-sensitive."
        ),
    }
