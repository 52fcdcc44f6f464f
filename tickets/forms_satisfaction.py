from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.limits import COMMENT_MAX_LENGTH

RATING_CHOICES = [
    (1, _("1 – very dissatisfied")),  # noqa: RUF001 (a dash in the label)
    (2, _("2 – dissatisfied")),  # noqa: RUF001 (a dash in the label)
    (3, _("3 – neutral")),  # noqa: RUF001 (a dash in the label)
    (4, _("4 – satisfied")),  # noqa: RUF001 (a dash in the label)
    (5, _("5 – very satisfied")),  # noqa: RUF001 (a dash in the label)
]


class SatisfactionForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How satisfied are you with our support on this ticket?"),
                                    choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect,
                                    error_messages={"required": _("Please choose a rating from 1 to 5."),
                                                    "invalid_choice": _("Please choose a rating from 1 to 5.")})
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=COMMENT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}))
