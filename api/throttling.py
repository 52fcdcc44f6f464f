"""Throttling per person, per anonymous address and per device. Rates come from settings
(API_THROTTLE_RATES, read on each request so tests and deployments can change them); an empty
rate switches that throttle off. Counts live in the default cache (per process unless a shared
cache is configured). Anonymous callers and devices without a key are counted by their address
(`core.addresses.client_address`: X-Forwarded-For only from a trusted proxy)."""

import hashlib
import math
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from api.models import Device
from core.addresses import client_address


class _SettingsRate:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope) or None

    def get_ident(self, request):
        return client_address(request)


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


# Failed API keys per address, like django-axes's failed sign-ins: after API_TOKEN_FAILURE_LIMIT
# unknown, revoked or malformed keys (`Token …` or `Device …`) from one address within
# LOGIN_COOLOFF_MINUTES, every request with a key from that address is answered 429 for
# LOGIN_COOLOFF_MINUTES, before its key is looked up (so that a lucky guess cannot be told from a
# wrong one). Other addresses are not affected; nothing resets the count early (a valid key of the
# guesser's own would otherwise do). Counted in the default cache, like the throttles above.
FAILURES_KEY = "api-key-failures:%s"
BLOCKED_KEY = "api-key-blocked:%s"


def _address_key(request) -> str:
    return hashlib.sha256(client_address(request).encode("utf-8", "replace")).hexdigest()[:32]


def _failure_limit() -> int:
    return settings.API_TOKEN_FAILURE_LIMIT or 0


def key_failures_blocked_for(request, *, now: datetime) -> int | None:
    """Seconds this request's address is still blocked for after too many failed keys, or None."""
    if _failure_limit() <= 0:
        return None
    until = cache.get(BLOCKED_KEY % _address_key(request))
    if until is None or until <= now.timestamp():
        return None
    return max(1, math.ceil(until - now.timestamp()))


def key_failure_record(request, *, now: datetime) -> None:
    """Count a failed key from this request's address; at the limit, block the address."""
    limit = _failure_limit()
    if limit <= 0:
        return
    address = _address_key(request)
    cooloff = max(1, round(settings.AXES_COOLOFF_TIME * 3600))
    key = FAILURES_KEY % address
    cache.add(key, 0, timeout=cooloff)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=cooloff)
        failures = 1
    if failures >= limit:
        cache.set(BLOCKED_KEY % address, now.timestamp() + cooloff, timeout=cooloff)
        cache.delete(key)
