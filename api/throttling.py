"""Throttling per person, per anonymous address and per device. Rates come from settings
(API_THROTTLE_RATES, read on each request so tests and deployments can change them); an empty
rate switches that throttle off. Counts live in the default cache (per process unless a shared
cache is configured)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from api.models import Device


class _SettingsRate:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope) or None


class PersonThrottle(_SettingsRate, UserRateThrottle):
    scope = "user"


class AnonymousThrottle(_SettingsRate, AnonRateThrottle):
    scope = "anon"


class DeviceThrottle(_SettingsRate, SimpleRateThrottle):
    scope = "device"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, Device):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
