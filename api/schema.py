"""OpenAPI additions: the error shape on every operation, the two kinds of credentials, and the
rules the server checks that drf-spectacular does not state by itself (`AutoSchema`):

- a request body is required, and admits no other field than its own (`additionalProperties: false`), and states
  a serializer's `schema_extra` (e.g. `minProperties`) and `schema_any_of` (fields that depend on
  each other, e.g. a fault's severity);
- a text of a request states what the server refuses in it: a NUL character, and blank text where
  text is required (`api.formats.text_pattern`);
- an optional query parameter sent empty counts as absent (`allowEmptyValue`), as an HTML form
  sends it; a text parameter admits no NUL character."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import serializers

from api.formats import NO_NUL, text_pattern

ERROR_STATUSES = {
    "400": "The request is not what this schema allows (`fields` names each parameter, header or field).",
    "401": "No valid credentials.",
    "403": "The role does not allow this.",
    "404": "Not found, or not visible to the caller.",
    "429": "Too many requests; retry later.",
}
BODY_ERROR_STATUSES = {
    "415": "The body is not of a media type this operation accepts.",
    "422": "The request is what this schema allows, but a rule refuses it (see `detail` and `fields`): an id "
           "that names nothing the caller may use, a change the ticket's state or the caller's role does not "
           "allow, a file type that is not accepted.",
}


ANY_OF = "x-helpdesk-any-of"


class AutoSchema(openapi.AutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if not type(serializer).__dict__.get("__doc__"):  # not the docstring of a base class
            schema.pop("description", None)
        if direction != "request":
            return schema
        properties = schema.get("properties", {})
        for name, field in serializer.fields.items():
            prop = properties.get(name)
            if isinstance(field, serializers.FileField) and not field.allow_empty_file and isinstance(prop, dict):
                prop["minLength"] = 1  # an empty file is refused
            if (isinstance(field, serializers.CharField) and not field.read_only and isinstance(prop, dict)
                    and prop.get("type") == "string" and not {"pattern", "format", "enum"} & set(prop)):
                prop["pattern"] = text_pattern(blank=field.allow_blank)
        if getattr(serializer, "strict", False):
            schema["additionalProperties"] = False
            schema.update(getattr(serializer, "schema_extra", {}))
            if getattr(serializer, "schema_any_of", None):  # set as `anyOf` by `add_any_of`, after the enums hook
                schema[ANY_OF] = serializer.schema_any_of
        return schema

    def _get_request_body(self, direction="request"):
        """Every body of this API is required: a change without one changes nothing (400)."""
        body = super()._get_request_body(direction)
        if body:
            body["required"] = True
        return body

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") != "query" or parameter.get("required"):
                continue
            parameter["allowEmptyValue"] = True
            schema = parameter.get("schema", {})
            if schema.get("type") == "string" and not {"pattern", "format", "enum"} & set(schema):
                schema["pattern"] = NO_NUL
        return parameters


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal API token: `Token hdt_…` (create it on the “API tokens” page).",
        }


class DeviceKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.DeviceKeyAuthentication"
    name = "DeviceKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A device's key: `Device hdd_…`.",
        }


def add_error_responses(result, generator, request, public):
    """Every operation may answer with the JSON error shape; document it once, refer to it."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "detail": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                "retry_after_seconds": {"type": "integer"},
            },
            "required": ["code", "detail"],
        },
    )
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "patch", "put", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            statuses = {**ERROR_STATUSES, **(BODY_ERROR_STATUSES if "requestBody" in operation else {})}
            for code, description in statuses.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():  # also an operation's own, such as a 409
                if code.startswith(("4", "5")):
                    response.setdefault(
                        "content", {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                    )
    return result


def add_any_of(result, generator, request, public):
    """A serializer's `schema_any_of` as `anyOf`: only now, because drf-spectacular's enum hook
    would turn the branches' enums into shared components (and give two of them one name)."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        if ANY_OF in schema:
            schema["anyOf"] = schema.pop(ANY_OF)
    return result
