"""Small shapes shared by the API's serializers, and the strictness of every request body."""

from collections.abc import Mapping

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.formats import FIRST_YEAR, INSTANT_MESSAGE, INSTANT_PATTERN, LAST_YEAR, instant_utc

MAX_ID = 2**63 - 1  # the largest primary key the database can hold


class RefSerializer(serializers.Serializer):
    """Another object as {id, name}: a person (full name or user name), a team, an organisation."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


@extend_schema_field(RefSerializer)
class RefField(serializers.Field):
    """{id, name} of a related object, or null; a flat field (no nested serializer) because the
    ticket list renders four of them per row."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"id": value.pk, "name": str(value)}


class ErrorSerializer(serializers.Serializer):
    """Every error answer of the API."""

    code = serializers.CharField(help_text="Stable code, e.g. invalid, not_found, permission_denied, throttled.")
    detail = serializers.CharField(help_text="A sentence for people, in the caller's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="Messages per field, for field errors.",
    )
    retry_after_seconds = serializers.IntegerField(required=False)


@extend_schema_field({"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN})
class InstantField(serializers.DateTimeField):
    """An instant as the schema states it (`api.formats.INSTANT_PATTERN`: with seconds and an
    offset, years 1900 to 2200), in UTC."""

    default_error_messages = {"invalid": INSTANT_MESSAGE}

    def to_internal_value(self, value):
        instant = instant_utc(value)
        if instant is None:
            self.fail("invalid", first=FIRST_YEAR, last=LAST_YEAR)
        return instant


def _json_type_error(field, value):
    """The message for a JSON value of the wrong type for `field` (None: the type is right, or
    the field checks it itself)."""
    if value is None or isinstance(field, serializers.FileField):
        return None
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("Expected true or false.")
    if isinstance(field, serializers.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else _("Expected a whole number.")
    if isinstance(field, serializers.CharField | serializers.ChoiceField | serializers.DateTimeField):
        return None if isinstance(value, str) else _("Expected a string.")
    return None


class StrictSerializer(serializers.Serializer):
    """A request body as the schema states it (`additionalProperties: false`, JSON types): a field
    the operation does not know is a 400 naming it, and so is a JSON value of another type than
    the field's (no number read as text, no text read as a number or a boolean). Form data
    (multipart uploads) is text by nature: only unknown fields are refused there. The schema
    states it (`api.schema.AutoSchema`), with `schema_extra` and `schema_any_of` if set."""

    strict = True

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, Mapping):
            fields = self.fields
            for name in data:
                field = fields.get(name)
                if field is None or field.read_only:
                    errors[name] = [_("Unknown field.")]
                elif not isinstance(data, QueryDict) and (message := _json_type_error(field, data[name])):
                    errors[name] = [message]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, Mapping):
                raise serializers.ValidationError({**error.detail, **errors}) from None
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value
