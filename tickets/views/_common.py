"""Small helpers shared by the portal views."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.formatting import time_zone_for


def in_reader_time_zone(view):
    """Render dates in the signed-in reader's time zone; anonymous users go to the login page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        with timezone.override(time_zone_for(request.user)):
            return view(request, *args, **kwargs)

    return wrapped


def refusal(user) -> PermissionDenied:
    """The 403 for someone who may read tickets but not file or answer them, naming whom to ask."""
    if access.is_reader(user):
        return PermissionDenied(
            _(
                "Your account can read your organisation's tickets but cannot file or answer them. "
                "Please contact %(contact)s."
            )
            % {"contact": access.contact_for_refusal(user)}
        )
    return PermissionDenied(_("Your role does not allow this page."))
