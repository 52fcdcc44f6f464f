from django.conf import settings
from django.utils import translation

# The API's callers choose their language with Accept-Language (docs/channels.md); pages do not.
API_PREFIX = "/api/"


class UserLanguageMiddleware:
    """The language of a page: the signed-in user's (so the choice sticks across devices); for a
    visitor who is not signed in, the language chosen with the switch (the language cookie), else
    the site's default (German) whatever the browser's Accept-Language says. The API keeps Django's
    negotiation (Accept-Language, see api/views/base.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        elif not request.path_info.startswith(API_PREFIX):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            supported = {code for code, _name in settings.LANGUAGES}
            translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
