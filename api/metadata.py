"""The answer to OPTIONS: what each write method of the address accepts.

DRF's `SimpleMetadata` describes `view.get_serializer()` for POST and PUT: here that is the read
serializer (a ticket as the API shows it, every field read-only), not what a filing may send, and
PATCH is left out. A view names its request bodies in `request_serializers` ({method: serializer
class}); each method the address allows and the caller may use is described by that serializer's
fields, with the limits the server checks (lengths, ranges, choices, blank, null, defaults)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.http import Http404
from django.utils.encoding import force_str
from rest_framework import exceptions, serializers
from rest_framework.fields import empty
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import clone_request

WRITE_METHODS = ("POST", "PUT", "PATCH")


class RequestMetadata(SimpleMetadata):
    def determine_metadata(self, request, view):
        metadata = {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
        actions = self.determine_actions(request, view)
        if actions:
            metadata["actions"] = actions
        return metadata

    def determine_actions(self, request, view):
        declared = getattr(view, "request_serializers", {})
        actions = {}
        for method in WRITE_METHODS:
            if method not in declared or method not in view.allowed_methods:
                continue
            view.request = clone_request(request, method)
            try:
                if hasattr(view, "check_permissions"):
                    view.check_permissions(view.request)
                if method in ("PUT", "PATCH") and hasattr(view, "get_object"):
                    view.get_object()
            except (exceptions.APIException, PermissionDenied, Http404):
                continue
            finally:
                view.request = request
            actions[method] = self.get_serializer_info(declared[method]())
        return actions

    def get_field_info(self, field):
        info = super().get_field_info(field)
        if isinstance(field, serializers.CharField):
            info["allow_blank"] = field.allow_blank
            for validator in field.validators:
                if isinstance(validator, MaxLengthValidator) and "max_length" not in info:
                    info["max_length"] = validator.limit_value
        if field.allow_null:
            info["allow_null"] = True
        if not field.required and field.default is not empty and not callable(field.default):
            info["default"] = force_str(field.default, strings_only=True)
        return info
