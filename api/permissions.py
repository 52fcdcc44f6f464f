"""API permissions, built only on `accounts.access` and `tickets.rules` (the UI's rules)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from accounts import access
from api.models import Device


class IsActivePerson(BasePermission):
    """A signed-in (session or token) active person; devices are not people."""

    message = _("Sign in or send a personal API token.")

    def has_permission(self, request, view):
        return access._active(request.user) and not isinstance(request.auth, Device)


class IsDevice(BasePermission):
    message = _("Device reports need a device key: send “Authorization: Device <key>”.")

    def has_permission(self, request, view):
        return isinstance(request.auth, Device)
