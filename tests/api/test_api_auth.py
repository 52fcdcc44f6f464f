"""Who may call the API, and with which credentials. People: a personal token or the session;
devices: their own key, on the device-report endpoint only."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.keys import key_hash
from api.models import ApiToken
from api.services import api_token_create, api_token_revoke, device_register

pytestmark = pytest.mark.django_db


def client_with(header: str | None = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_only_a_hash_of_the_token_is_stored(users):
    token, secret = api_token_create(user=users["customer"], name="ERP")
    assert secret.startswith("hdt_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == key_hash(secret)
    assert secret not in {stored.key_hash, stored.prefix} and stored.prefix == secret[:12]


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_token_authenticates_the_person(users, keyword):
    _, secret = api_token_create(user=users["customer"], name="ERP")
    response = client_with(f"{keyword} {secret}").get("/api/v1/organisation/")
    assert response.status_code == 200
    assert response.json()["name"] == "Müller Maschinenbau GmbH"


def test_use_is_recorded_on_the_token(users):
    token, secret = api_token_create(user=users["customer"], name="ERP")
    client_with(f"Token {secret}").get("/api/v1/organisation/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_stops_working(users):
    token, secret = api_token_create(user=users["customer"], name="ERP")
    api_token_revoke(token=token, actor=users["customer"])
    response = client_with(f"Token {secret}").get("/api/v1/tickets/")
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid or revoked API token."}
    assert response["WWW-Authenticate"] == "Token"


def test_expired_token_says_so(users):
    token, secret = api_token_create(user=users["customer"], name="ERP", expires_in_days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_with(f"Token {secret}").get("/api/v1/tickets/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_token_of_a_deactivated_person_is_refused(users):
    _, secret = api_token_create(user=users["customer"], name="ERP")
    users["customer"].is_active = False
    users["customer"].save(update_fields=["is_active"])
    assert client_with(f"Token {secret}").get("/api/v1/tickets/").status_code == 401


def test_someone_elses_token_cannot_be_revoked(users):
    token, _ = api_token_create(user=users["customer"], name="ERP")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=users["agent"])


def test_token_needs_a_name(users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(user=users["customer"], name="  ")


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token hdt_unknown", "Token nonsense"])
def test_malformed_or_unknown_tokens_are_401(header):
    response = client_with(header).get("/api/v1/tickets/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_no_credentials_is_401_with_a_hint(db):
    response = client_with().get("/api/v1/tickets/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_session_of_a_signed_in_person_works_and_checks_csrf(users):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["customer"])
    assert client.get("/api/v1/tickets/").status_code == 200
    response = client.post("/api/v1/tickets/", {"subject": "x", "description": "y", "category": "question"},
                           format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_device_key_is_refused_on_the_persons_endpoints(orgs):
    _, key = device_register(organisation=orgs["retail"], name="Kasse 3", serial="POS-0003")
    for header in (f"Token {key}", f"Device {key}"):
        response = client_with(header).get("/api/v1/tickets/")
        assert response.status_code == 401, header
    assert "device key" in client_with(f"Token {key}").get("/api/v1/tickets/").json()["detail"]


def test_device_endpoint_refuses_person_token_and_session(users, orgs):
    _, secret = api_token_create(user=users["pos-customer"], name="ERP")
    for header in (f"Token {secret}", f"Device {secret}"):
        response = client_with(header).post("/api/v1/device-reports/", {"error_code": "E1"}, format="json")
        assert response.status_code == 401, header
    session = APIClient()
    session.force_login(users["pos-customer"])
    assert session.post("/api/v1/device-reports/", {"error_code": "E1"}, format="json").status_code == 401


def test_throttling_answers_429_with_retry_after(users, settings):
    settings.API_THROTTLE_RATES = {"user": "2/minute", "anon": None, "device": None}
    from django.core.cache import cache

    cache.clear()
    _, secret = api_token_create(user=users["customer"], name="ERP")
    client = client_with(f"Token {secret}")
    statuses = [client.get("/api/v1/organisation/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get("/api/v1/organisation/")
    assert response.json()["code"] == "throttled" and response.json()["retry_after_seconds"] > 0
    cache.clear()
