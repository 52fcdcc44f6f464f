"""The OpenAPI schema and the interactive docs, which must work without any CDN."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_documents_both_credentials(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"ApiToken", "DeviceKey"} <= set(schema["components"]["securitySchemes"])
    paths = schema["paths"]
    for path in ["/api/v1/tickets/", "/api/v1/tickets/{reference}/", "/api/v1/tickets/{reference}/comments/",
                 "/api/v1/tickets/{reference}/attachments/", "/api/v1/organisation/", "/api/v1/calendars/",
                 "/api/v1/policies/", "/api/v1/sla/preview", "/api/v1/device-reports/"]:
        assert path in paths, path
    assert paths["/api/v1/device-reports/"]["post"]["security"] == [{"DeviceKey": []}]
    assert "404" in paths["/api/v1/tickets/{reference}/"]["get"]["responses"]


def test_docs_load_everything_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html[:500]
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), sources
    assert not re.search(r"cdn|jsdelivr|unpkg|googleapis", html, re.IGNORECASE)
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src
