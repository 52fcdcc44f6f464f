"""A 403 is logged as one WARNING line naming the method, the path, the person and the status,
without the traceback Django attaches to a PermissionDenied; other records pass unchanged."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import AgentFactory, ApiTokenFactory, ContactFactory, TicketFactory

pytestmark = pytest.mark.django_db


def request_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_refused_page_is_one_line_without_a_traceback(client, caplog):
    contact = ContactFactory(language="en")
    client.force_login(contact)
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get(reverse("dashboard:index"), {"period": "last_week"})
    assert response.status_code == 403
    [record] = request_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and record.exc_text is None
    assert record.getMessage() == f"Forbidden: GET /dashboard/ (user {contact.pk}, status 403)"
    assert "Traceback" not in caplog.text and "PermissionDenied" not in caplog.text


def test_a_refused_api_call_names_the_person(caplog):
    customer = ContactFactory(language="en")
    ApiTokenFactory(user=customer, secret="hdt_logging")
    ticket = TicketFactory(requester=customer)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION="Token hdt_logging")
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.patch(f"/api/v1/tickets/{ticket.reference}/", {"assignee": AgentFactory().pk},
                                format="json")
    assert response.status_code == 403
    [record] = request_records(caplog)
    assert record.getMessage() == (
        f"Forbidden: PATCH /api/v1/tickets/{ticket.reference}/ (user {customer.pk}, status 403)"
    )
    assert record.levelno == logging.WARNING and record.exc_info is None


def test_a_forged_path_stays_on_one_line(client, caplog):
    contact = ContactFactory(language="en")
    client.force_login(contact)
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get("/dashboard/monthly/%0A2026-12-01%20ERROR%20forged/2026/11/csv/")
    assert response.status_code == 403
    [record] = request_records(caplog)
    assert record.getMessage() == (
        f"Forbidden: GET /dashboard/monthly/\\n2026-12-01 ERROR forged/2026/11/csv/ (user {contact.pk}, status 403)"
    )


def test_a_signed_out_visitor_is_a_dash(rf, caplog):
    request = rf.post("/api/v1/device-reports/")
    request.user = AnonymousUser()
    with caplog.at_level(logging.INFO, logger="django.request"):
        logging.getLogger("django.request").warning(
            "Forbidden: %s", request.path, extra={"status_code": 403, "request": request}
        )
    [record] = request_records(caplog)
    assert record.getMessage() == "Forbidden: POST /api/v1/device-reports/ (user -, status 403)"


def test_other_statuses_are_logged_unchanged(client, caplog):
    client.force_login(ContactFactory(language="en"))
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get("/tickets/HD-1999-999999/")
    assert response.status_code == 404
    [record] = request_records(caplog)
    assert record.getMessage() == "Not Found: /tickets/HD-1999-999999/"
