"""Every API error as JSON, in the caller's language:

    {"code": "invalid", "detail": "Please correct the marked fields.", "fields": {"subject": ["…"]}}

`code` is stable (DRF's codes: invalid, not_authenticated, authentication_failed,
permission_denied, not_found, method_not_allowed, unsupported_media_type, throttled, parse_error,
…, a ticket rule's code such as "transition", or "idempotency_conflict" (409: a filing's key
reused for another filing, a comment's key for another comment)); `detail` is a sentence for
people; `fields` appears for field errors.

400 means the request is not what the schema allows (a parameter, header or body that does not
match it: `fields` names each); 422 means it is, but a rule refuses it (`RuleRefusal`: an id that
names nothing the caller may use, a status change the ticket's state does not allow, a file type
that is not accepted, a deadline that cannot be computed). So a client that follows the schema
never gets a 400.
Services raise Django's ValidationError / PermissionDenied / Http404: they are mapped here, so
the API says what the portal says (a service's ValidationError is a rule: 422)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from tickets.services import IdempotencyConflict

NON_FIELD = "non_field_errors"


class IdempotencyConflictError(exceptions.APIException):
    status_code = 409
    default_code = "idempotency_conflict"


class RuleRefusal(exceptions.ValidationError):
    """A request the schema allows, refused by a rule the schema cannot state: 422."""

    status_code = 422


def _from_django(exc: Exception) -> exceptions.APIException:
    if isinstance(exc, IdempotencyConflict):
        return IdempotencyConflictError(str(exc))
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {(NON_FIELD if k == "__all__" else k): [str(m) for m in v] for k, v in exc.message_dict.items()}
            return RuleRefusal(fields)
        error = RuleRefusal([str(m) for m in exc.messages])
        error.rule_code = getattr(exc, "code", None)
        return error
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or _("Your role does not allow this.")
        return exceptions.PermissionDenied(message)
    if isinstance(exc, Http404):
        return exceptions.NotFound(_("Not found, or you may not see it."))
    return exc


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def api_exception_handler(exc, context):
    exc = _from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body: dict = {"code": getattr(exc, "default_code", "error")}
    detail = getattr(exc, "detail", None)
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = getattr(exc, "rule_code", None) or "invalid"
        if isinstance(detail, dict):
            fields = {key: _flatten(value) for key, value in detail.items() if key != NON_FIELD}
            general = _flatten(detail.get(NON_FIELD, []))
            body["detail"] = " ".join(general) or _("Please correct the marked fields.")
            if fields:
                body["fields"] = fields
        else:
            body["detail"] = " ".join(_flatten(detail)) or _("The request is not valid.")
    else:
        body["detail"] = " ".join(_flatten(detail)) if detail is not None else str(exc)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after_seconds"] = int(exc.wait)
    response.data = body
    return response


def not_found(request, *args, **kwargs):
    """JSON 404 for any address under /api/v1/ that names no endpoint."""
    return JsonResponse({"code": "not_found", "detail": _("There is no API endpoint at this address.")}, status=404)
