"""Who sent a request: the client's address, trusting `X-Forwarded-For` only from the proxies in
`FORWARDED_ALLOW_IPS` (the same list gunicorn trusts with `X-Forwarded-Proto`,
helpdesk/gunicorn_conf.py). Sign-in lockouts (django-axes) and the API's throttles count by it,
so that nobody can pick a fresh address per request by sending the header themselves."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[bool, tuple[Network, ...]]:
    """(every peer is trusted, the trusted networks) of a FORWARDED_ALLOW_IPS list."""
    if "*" in entries:
        return True, ()
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue  # not an address: trusts nobody (gunicorn refuses to start with it anyway)
    return False, tuple(networks)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The request's REMOTE_ADDR, unless that is a trusted proxy: then the address the proxy
    appended to X-Forwarded-For (the nearest one from the right that is not itself a trusted
    proxy). With FORWARDED_ALLOW_IPS=* every peer is a proxy and the last entry is the client."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    everyone, networks = _trusted(tuple(settings.FORWARDED_ALLOW_IPS))
    if not (everyone or _is_trusted(remote, networks)):
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if everyone:
        return forwarded[-1][:64] if forwarded else remote
    for hop in reversed(forwarded):
        if not _is_trusted(hop, networks):
            return hop[:64]
    return forwarded[0] if forwarded else remote
