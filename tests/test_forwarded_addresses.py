"""X-Forwarded-* only from the proxies in FORWARDED_ALLOW_IPS: the client's address for sign-in
lockouts and API throttles (`core.addresses.client_address`), and the scheme, which gunicorn
decides (helpdesk/gunicorn_conf.py; tests/test_deployment.py reads that file)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from api.throttling import AnonymousThrottle, DeviceThrottle
from core.addresses import client_address
from tests.factories import ContactFactory

PROXY, CLIENT, FORGED = "10.0.0.2", "203.0.113.7", "192.0.2.1"


def address(settings, trusted, remote, forwarded=None) -> str:
    settings.FORWARDED_ALLOW_IPS = trusted
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "expected"), [
    # Straight from the client: its own header is ignored.
    (["127.0.0.1", "::1"], CLIENT, FORGED, CLIENT),
    (["127.0.0.1", "::1"], CLIENT, None, CLIENT),
    # Through the proxy: the address the proxy appended, not what the client wrote before it.
    ([PROXY], PROXY, f"{FORGED}, {CLIENT}", CLIENT),
    (["10.0.0.0/8"], PROXY, f"{FORGED}, {CLIENT}, 10.0.0.9", CLIENT),  # two proxies of the network
    ([PROXY], PROXY, None, PROXY),
    ([PROXY], PROXY, f"{CLIENT},", CLIENT),
    (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
    # Every hop a trusted proxy: the first one.
    (["10.0.0.0/8"], PROXY, "10.0.0.5, 10.0.0.6", "10.0.0.5"),
    # "*": any peer is a proxy, the last entry is the client.
    (["*"], CLIENT, f"{FORGED}, {PROXY}", PROXY),
    (["*"], CLIENT, None, CLIENT),
    # Entries that are no address: never trusted, and they trust nobody.
    (["proxy.example.com"], PROXY, FORGED, PROXY),
    ([PROXY], PROXY, "garbage", "garbage"),
])
def test_client_address(settings, trusted, remote, forwarded, expected):
    assert address(settings, trusted, remote, forwarded) == expected


@pytest.mark.django_db
def test_the_scheme_comes_from_the_server_not_from_a_clients_header(client, settings):
    """gunicorn sets wsgi.url_scheme to https for a trusted proxy's X-Forwarded-Proto only;
    Django believes that, not the header (SECURE_PROXY_SSL_HEADER is None)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None
    forged = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301 and forged["Location"].startswith("https://")
    assert client.get(reverse("login"), secure=True).status_code == 200


@pytest.mark.django_db
def test_sign_in_lockout_counts_each_client_behind_the_proxy(client, settings):
    settings.FORWARDED_ALLOW_IPS = [PROXY]
    person = ContactFactory(username="jürgen")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "jürgen", "password": "falsch"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=FORGED)
    locked = client.post(reverse("login"), {"username": "jürgen", "password": "geheim-Passwort-1"},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=FORGED)
    assert locked.status_code == 429
    other = client.post(reverse("login"), {"username": "jürgen", "password": "geheim-Passwort-1"},
                        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    assert other.status_code == 302 and int(client.session["_auth_user_id"]) == person.pk


@pytest.mark.django_db
def test_sign_in_lockout_is_not_dodged_with_a_forged_forwarded_for(client, settings):
    settings.FORWARDED_ALLOW_IPS = [PROXY]
    ContactFactory(username="jürgen")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "jürgen", "password": "falsch"},
                    REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = client.post(reverse("login"), {"username": "jürgen", "password": "geheim-Passwort-1"},
                           REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


@pytest.mark.parametrize("throttle", [AnonymousThrottle, DeviceThrottle])
def test_api_throttles_count_the_client_not_its_forged_header(settings, throttle):
    settings.FORWARDED_ALLOW_IPS = [PROXY]
    forged = RequestFactory().get("/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED)
    proxied = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}")
    assert throttle().get_ident(forged) == throttle().get_ident(proxied) == CLIENT
