"""The Content-Security-Policy header (django-csp): on every page, without inline code or eval;
the Swagger UI's two inline blocks carry the nonce that the header names. The browser tests
(tests/browser/test_content_security_policy.py) check that the pages keep to it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import ContactFactory, TicketFactory
from tickets.services import attachment_add


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "password_reset", "sla:support_hours"])
def test_public_pages_allow_only_own_scripts_and_styles(client, name):
    policy = directives(client.get(reverse(name)))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]


@pytest.mark.django_db
def test_signed_in_pages_and_errors_carry_the_policy_too(client):
    client.force_login(ContactFactory())
    for response in (client.get(reverse("tickets:create")), client.get("/tickets/HD-1999-999999/")):
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], response.status_code
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_swagger_ui_inline_blocks_carry_the_nonce_of_the_header(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    policy = directives(response)
    nonces = {value for value in policy["script-src"] if value.startswith("'nonce-")}
    assert len(nonces) == 1 and policy["style-src"] == policy["script-src"]
    nonce = nonces.pop()[len("'nonce-"):-1]
    html = response.content.decode()
    inline = re.findall(r"<(script|style)( nonce=\"([^\"]*)\")?>", html)  # blocks without src
    assert [tag for tag, _attr, _nonce in inline] == ["style", "script"]
    assert {value for _tag, _attr, value in inline} == {nonce}


@pytest.mark.django_db
def test_each_response_gets_a_new_nonce(client):
    first, second = (directives(client.get(reverse("api:docs")))["script-src"] for _ in range(2))
    assert first != second


@pytest.mark.django_db
def test_attachment_downloads_keep_their_own_stricter_policy(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = TicketFactory()
    attachment = attachment_add(
        ticket=ticket, actor=ticket.requester, file=SimpleUploadedFile("notiz.txt", b"Hallo", content_type="text/plain")
    )
    client.force_login(ticket.requester)
    response = client.get(reverse("tickets:attachment", kwargs={
        "reference": ticket.reference, "public_id": attachment.public_id,
    }))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
