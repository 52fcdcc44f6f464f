"""What every API view shares: people's authentication, the JSON errors, throttling and the
caller's language (an explicit Accept-Language header, else the person's own language)."""

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from api.authentication import TokenAuthentication
from api.permissions import IsActivePerson
from api.throttling import AnonymousThrottle, PersonThrottle


class PersonApiMixin:
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsActivePerson]
    throttle_classes = [PersonThrottle, AnonymousThrottle]

    def perform_authentication(self, request):
        super().perform_authentication(request)
        language = getattr(request.user, "language", "")
        if language and "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()


IDEMPOTENCY_KEY_MAX_LENGTH = 64


def idempotency_key_parameter(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "Idempotency-Key", {"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH}, OpenApiParameter.HEADER,
        description=f"Like the field `idempotency_key` (which wins when both are sent): repeating {what}. At most "
                    f"{IDEMPOTENCY_KEY_MAX_LENGTH} characters; a longer key is a 400.",
    )


def idempotency_key(request, field: str) -> str:
    """The body's `idempotency_key`, else the `Idempotency-Key` header. A header longer than
    the limit is refused (also when the field wins), not cut: two keys that differ only after the
    cut would name one request."""
    header = request.headers.get("Idempotency-Key", "")
    if len(header) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise exceptions.ValidationError({"Idempotency-Key": [
            _("Ensure this header has no more than %(limit)d characters (it has %(length)d).")
            % {"limit": IDEMPOTENCY_KEY_MAX_LENGTH, "length": len(header)}
        ]})
    return field or header
