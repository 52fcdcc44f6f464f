from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class LocalisedPasswordResetForm(PasswordResetForm):
    """Sends the reset mail in the recipient's language, not the requester's."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        with translation.override(context["user"].language or settings.LANGUAGE_CODE):
            super().send_mail(subject_template_name, email_template_name, context, from_email,
                              to_email, html_email_template_name)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
