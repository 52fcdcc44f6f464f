"""The "API tokens" page: a signed-in person creates a token (shown once) and revokes it."""

import pytest
from django.urls import reverse

from api.models import ApiToken

pytestmark = pytest.mark.django_db


def sign_in(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)


def test_new_token_is_shown_once_and_works(client, users):
    sign_in(client, users["customer"])
    response = client.post(reverse("api_tokens:list"), {"name": "ERP-Anbindung", "expires_in_days": "90"},
                           follow=True)
    secret = response.context["new_secret"]
    assert secret.startswith("hdt_") and secret in response.content.decode()
    again = client.get(reverse("api_tokens:list"))
    assert secret not in again.content.decode()
    token = ApiToken.objects.get(user=users["customer"])
    assert token.name == "ERP-Anbindung" and token.expires_at is not None
    api = client.__class__()
    assert api.get("/api/v1/organisation/", HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200


def test_missing_name_keeps_the_form_with_an_error(client, users):
    sign_in(client, users["customer"], language="de")
    response = client.post(reverse("api_tokens:list"), {"name": "", "expires_in_days": "30"})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_own_token(client, users):
    from api.services import api_token_create

    token, _ = api_token_create(user=users["reader"], name="Auswertung")
    sign_in(client, users["reader"])
    response = client.post(reverse("api_tokens:revoke", kwargs={"pk": token.pk}), follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in response.content.decode()


def test_someone_elses_token_is_not_found(client, users):
    from api.services import api_token_create

    token, _ = api_token_create(user=users["customer"], name="ERP")
    sign_in(client, users["us-customer"])
    assert client.post(reverse("api_tokens:revoke", kwargs={"pk": token.pk})).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_page_lists_only_own_tokens_never_the_secret(client, users):
    from api.services import api_token_create

    api_token_create(user=users["customer"], name="Fremd")
    _, secret = api_token_create(user=users["agent"], name="Meins")
    sign_in(client, users["agent"])
    html = client.get(reverse("api_tokens:list")).content.decode()
    assert "Meins" in html and "Fremd" not in html and secret not in html


@pytest.mark.parametrize("role", ["customer", "reader", "agent", "admin"])
def test_navigation_offers_api_tokens_to_signed_in_people(client, users, role):
    client.force_login(users[role])
    names = [item["name"] for item in client.get(reverse("home")).context["nav_items"]]
    assert "api_tokens:list" in names
