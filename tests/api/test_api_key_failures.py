"""Failed API keys are throttled like failed sign-ins: after API_TOKEN_FAILURE_LIMIT unknown keys
from one address, that address gets 429 (JSON, in the caller's language) for
LOGIN_COOLOFF_MINUTES, whatever key it sends; other addresses are not affected."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from api import authentication
from tests.factories import ApiTokenFactory, ContactFactory

pytestmark = pytest.mark.django_db

NOON = datetime.fromisoformat("2026-03-10T12:00:00+01:00")
ATTACKER, OTHER, PROXY = "203.0.113.7", "198.51.100.20", "10.0.0.2"
ORGANISATION = "/api/v1/organisation/"
DEVICE_REPORTS = "/api/v1/device-reports/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes


@pytest.fixture
def clock(monkeypatch):
    """The authentication's clock, fixed at NOON; `clock.now` moves it."""
    fixed = SimpleNamespace(now=NOON)
    monkeypatch.setattr(authentication, "timezone", SimpleNamespace(now=lambda: fixed.now))
    return fixed


@pytest.fixture
def token():
    """A valid personal token (the key) of a customer contact."""
    ApiTokenFactory(user=ContactFactory(), secret="hdt_valid-key-of-juergen")
    return "hdt_valid-key-of-juergen"


def call(header: str, *, address: str = ATTACKER, path: str = ORGANISATION, language: str = "en", **extra):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address, **extra)
    client.credentials(HTTP_AUTHORIZATION=header)
    if path == DEVICE_REPORTS:
        return client.post(path, {"error_code": "E42"}, format="json")
    return client.get(path)


def fail(times: int, *, address: str = ATTACKER, **kwargs) -> list[int]:
    return [call(f"Token hdt_guess-{n}", address=address, **kwargs).status_code for n in range(times)]


def test_unknown_tokens_are_401_until_the_limit_then_429_even_for_a_valid_token(clock, token):
    assert fail(3) == [401, 401, 401]
    response = call(f"Token {token}")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert body["detail"] == "Too many failed attempts with API keys from your address. Try again in 15 minutes."
    assert body["retry_after_seconds"] == 900 and response["Retry-After"] == "900"
    assert call("Token hdt_guess-again").status_code == 429  # a guess is not even looked up


def test_below_the_limit_a_valid_token_still_works(clock, token):
    assert fail(2) == [401, 401]
    assert call(f"Token {token}").status_code == 200


def test_the_answer_is_in_the_callers_language(clock):
    fail(3)
    response = call("Token hdt_guess", language="de")
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Zu viele fehlgeschlagene Versuche mit API-Schlüsseln von Ihrer Adresse. Versuchen Sie es in 15 Minuten erneut."
    )


def test_a_valid_token_from_another_address_is_not_blocked(clock, token):
    fail(5)
    assert call(f"Token {token}", address=OTHER).status_code == 200
    assert call("Token hdt_guess", address=OTHER).status_code == 401


def test_the_block_ends_after_the_cool_off(clock, token):
    fail(3)
    clock.now = NOON + timedelta(minutes=14, seconds=59)
    response = call(f"Token {token}")
    assert response.status_code == 429 and response.json()["retry_after_seconds"] == 1
    clock.now = NOON + timedelta(minutes=15)
    assert call(f"Token {token}").status_code == 200


def test_malformed_keys_count_as_failures_but_a_known_key_of_the_wrong_kind_does_not(clock, token):
    for header in ("Token nonsense", "Bearer hdt_", "Token hdd_device-key-on-the-wrong-door"):
        call(header)
    assert call(f"Token {token}").status_code == 200  # only two of the three were guesses
    call("Token hdt_third-guess")
    assert call(f"Token {token}").status_code == 429


def test_unknown_device_keys_block_device_reports_from_that_address(clock):
    statuses = [call(f"Device hdd_guess-{n}", path=DEVICE_REPORTS).status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert call("Token hdt_guess", path=ORGANISATION).status_code == 429  # one count per address
    assert call("Device hdd_guess", address=OTHER, path=DEVICE_REPORTS).status_code == 401


def test_behind_a_trusted_proxy_each_client_address_counts_for_itself(clock, token, settings):
    settings.FORWARDED_ALLOW_IPS = [PROXY]
    fail(3, address=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert call(f"Token {token}", address=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    assert call(f"Token {token}", address=PROXY, HTTP_X_FORWARDED_FOR=OTHER).status_code == 200


def test_a_forged_forwarded_for_does_not_hide_the_address(clock, token, settings):
    settings.FORWARDED_ALLOW_IPS = [PROXY]
    for n in range(3):
        call(f"Token hdt_guess-{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")  # straight from ATTACKER
    assert call(f"Token {token}", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_a_limit_of_zero_switches_it_off(clock, token, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 0
    assert fail(5) == [401] * 5
    assert call(f"Token {token}").status_code == 200
