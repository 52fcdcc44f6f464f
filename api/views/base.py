"""What every API view shares: people's authentication, the JSON errors, throttling and the
caller's language (an explicit Accept-Language header, else the person's own language)."""

from django.utils import translation
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
