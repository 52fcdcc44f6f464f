from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Kind, Visibility
from .models import Category
from .rules import audience_organisations_for


class ArticleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False,
                                      to_field_name="slug", empty_label=_("All categories"),
                                      widget=forms.Select(attrs={"class": "form-select"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False,
                             widget=forms.Select(attrs={"class": "form-select"}))


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False)
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Visibility.choices, initial=Visibility.CUSTOMERS)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=None, required=False,
        help_text=_("Only when the article is visible to chosen organisations."),
    )
    title_de = forms.CharField(label=_("Title (German)"), max_length=200, required=False)
    body_de = forms.CharField(label=_("Text (German)"), widget=forms.Textarea(attrs={"rows": 10}), required=False,
                              max_length=50000, help_text=_("Markdown"))
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    body_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 10}), required=False,
                              max_length=50000, help_text=_("Markdown"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = audience_organisations_for(user).order_by("name")


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image"))


class SolvedForm(forms.Form):
    idempotency_key = forms.CharField(max_length=64)
    solved_by = forms.SlugField(max_length=120)


class FromTicketForm(forms.Form):
    comment = forms.IntegerField(required=False, min_value=1)
