"""The notification settings page's form: one choice per topic that concerns the person."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MailMode
from .preferences import mail_modes, topics_for


class NotificationSettingsForm(forms.Form):
    """Radio buttons per topic, grouped under the topics' headings. A mode the person may not
    choose (a manager switching escalations off) is not offered; if it is submitted anyway, the
    topic's own explanation is the field's error."""

    def __init__(self, *args, person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.topics = topics_for(person)
        current = mail_modes(person)
        groups: dict[str, list[str]] = {}
        for topic in self.topics:
            self.fields[topic.code] = forms.ChoiceField(
                label=topic.label,
                help_text=topic.help,
                choices=[(mode, MailMode(mode).label) for mode in topic.modes(person)],
                initial=current[topic.code],
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": topic.refusal,
                    "required": _("Please choose how you want to hear about this."),
                },
            )
            groups.setdefault(str(topic.group), []).append(topic.code)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*(Fieldset(group, *codes) for group, codes in groups.items()))
