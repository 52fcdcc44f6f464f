"""Pages for visitors who are not signed in are German unless the visitor chose English (the
language cookie), whatever the browser asks for; the API keeps Accept-Language."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_site(settings):
    settings.LANGUAGE_CODE = "de"
    return settings


def test_an_english_browser_still_gets_german(client, german_site):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="de"' in body and "Anmelden" in body


def test_the_visitors_choice_wins(client, german_site):
    client.cookies[german_site.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'lang="en"' in body and "Sign in" in body


def test_an_unknown_cookie_value_falls_back_to_german(client, german_site):
    client.cookies[german_site.LANGUAGE_COOKIE_NAME] = "fr"
    assert 'lang="de"' in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_signed_in_persons_language_wins_over_the_cookie(client, german_site, demo):
    client.force_login(demo["users"]["us-customer"])  # English on the account
    client.cookies[german_site.LANGUAGE_COOKIE_NAME] = "de"
    assert 'lang="en"' in client.get(reverse("home")).content.decode()


def test_the_api_keeps_accept_language(client, german_site):
    response = client.get("/api/v1/tickets/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (401, 403)
    assert response["Content-Language"] == "en"


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
