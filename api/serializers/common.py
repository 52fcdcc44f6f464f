"""Small shapes shared by the API's serializers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
