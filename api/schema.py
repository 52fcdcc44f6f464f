"""OpenAPI additions: the error shape on every operation, and the two kinds of credentials."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_STATUSES = {
    "400": "The request is not valid (see `fields`).",
    "401": "No valid credentials.",
    "403": "The role does not allow this.",
    "404": "Not found, or not visible to the caller.",
    "429": "Too many requests; retry later.",
}


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
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():  # also an operation's own, such as a 409
                if code.startswith(("4", "5")):
                    response.setdefault(
                        "content", {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                    )
    return result
