"""Knowledge base articles and product releases."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from knowledge.choices import Kind, Visibility
from knowledge.models import Article
from products.models import Release

from .common import MAX_ID, StrictSerializer

TEXT_MAX_LENGTH = 50000


class ArticleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ["slug", "kind", "status", "visibility", "category", "title_de", "body_de", "title_en", "body_en",
                  "published_at", "updated_at"]
        read_only_fields = fields


class ArticleWriteSerializer(StrictSerializer):
    """An article's texts and settings (agents). A change sends at least one field; the rest stays."""

    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    category = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                     help_text=_("A category's short name; empty for none."))
    organisations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, max_length=100,
        help_text=_("Ids of the organisations that may read it, when it is visible to chosen organisations."),
    )
    title_de = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body_de = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True,
                                    help_text=_("Markdown."))
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body_en = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True,
                                    help_text=_("Markdown."))


class ArticleChangeSerializer(ArticleWriteSerializer):
    schema_extra = {"minProperties": 1}

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Send at least one field to change."))
        return attrs


class ReleaseSerializer(serializers.ModelSerializer):
    product = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = Release
        fields = ["id", "product", "product_name", "version", "is_security", "notes_de", "notes_en", "published_at"]
        read_only_fields = fields


class ReleaseCreateSerializer(StrictSerializer):
    product = serializers.CharField(max_length=60, help_text=_("The product's short name."))
    version = serializers.CharField(max_length=40)
    is_security = serializers.BooleanField(required=False, default=False)
    notes_de = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    notes_en = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
