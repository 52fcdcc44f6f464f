"""The customer portal: the ticket list, the filing form and its preview."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from sla.choices import Status
from tests.tickets.conftest import login_as, upload
from tickets import services, sla_preview
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "category": "fault",
        "severity": "severe",
        "subject": "Prüfstand meldet Fehler 42",
        "affected_system": "Prüfstand Süd",
        "description": "Beim Übertragen erscheint „Fehler 42“.",
        "occurring_since": "heute 07:10",
        "steps_to_reproduce": "1. Messung starten",
        "impact": "Die Prüfung steht.",
        "callback_phone": "+49 231 1234",
        "remote_session_id": "",
        "idempotency_key": "d" * 32,
    }
    data.update(overrides)
    return data


# --- list ------------------------------------------------------------------------------------

def test_list_shows_open_tickets_newest_activity_first(client, users):
    login_as(client, users)
    response = client.get(reverse("tickets:list"))
    tickets = list(response.context["page_obj"])
    assert tickets, "the demo gives Müller open tickets"
    assert all(t.status not in (Status.RESOLVED, Status.CLOSED) for t in tickets)
    assert [t.last_activity_at for t in tickets] == sorted((t.last_activity_at for t in tickets), reverse=True)
    assert {t.organisation.name for t in tickets} == {"Müller Maschinenbau GmbH"}


def test_closed_tab_shows_resolved_and_closed(client, users):
    login_as(client, users)
    tickets = client.get(reverse("tickets:list"), {"tab": "closed"}).context["page_obj"]
    assert {t.status for t in tickets} == {Status.RESOLVED, Status.CLOSED}


def test_search_by_reference_or_subject(client, users, file_ticket):
    login_as(client, users)
    ticket = file_ticket(subject="Zählerstand wird nicht übernommen")
    by_subject = client.get(reverse("tickets:list"), {"q": "Zählerstand"}).context["page_obj"]
    assert [t.pk for t in by_subject] == [ticket.pk]
    by_reference = client.get(reverse("tickets:list"), {"q": ticket.reference.lower()}).context["page_obj"]
    assert [t.pk for t in by_reference] == [ticket.pk]


def test_new_activity_moves_a_ticket_to_the_top(client, users, file_ticket):
    login_as(client, users)
    older = file_ticket(subject="Älter")
    file_ticket(subject="Neuer")
    services.comment_add(ticket=older, author=users["agent"], body="Antwort")
    first = client.get(reverse("tickets:list")).context["page_obj"][0]
    assert first.pk == older.pk


def test_list_is_paginated_with_a_bounded_number_of_queries(client, users, file_ticket, django_assert_max_num_queries):
    login_as(client, users)
    for n in range(25):
        file_ticket(subject=f"Störung {n}", category="question")
    with django_assert_max_num_queries(7):
        response = client.get(reverse("tickets:list"))
    assert len(response.context["page_obj"]) == 20
    assert response.context["page_obj"].paginator.num_pages == 2
    assert len(client.get(reverse("tickets:list"), {"page": 2}).context["page_obj"]) > 0


def test_reader_sees_the_list_without_filing_button(client, users):
    login_as(client, users, "reader")
    response = client.get(reverse("tickets:list"))
    assert response.status_code == 200
    assert not response.context["can_file"]
    assert b'data-testid="new-ticket"' not in response.content


def test_reseller_customer_is_told_who_supports_them(client, users):
    login_as(client, users, "partner-customer")
    assert "PartnerSoft GmbH" in client.get(reverse("tickets:list")).content.decode()
    assert "PartnerSoft GmbH" in client.get(reverse("tickets:create")).content.decode()


def test_navigation_offers_tickets_to_customers_and_filing_to_contacts(client, users):
    login_as(client, users)
    names = [item["name"] for item in client.get(reverse("home")).context["nav_items"]]
    assert "tickets:list" in names and "tickets:create" in names
    login_as(client, users, "reader")
    names = [item["name"] for item in client.get(reverse("home")).context["nav_items"]]
    assert "tickets:list" in names and "tickets:create" not in names


# --- filing ----------------------------------------------------------------------------------

def test_filing_form_asks_for_a_good_report_and_explains_severity(client, users):
    login_as(client, users)
    content = client.get(reverse("tickets:create")).content.decode()
    for field in ("description", "occurring_since", "steps_to_reproduce", "impact", "affected_system",
                  "callback_phone", "remote_session_id", "idempotency_key"):
        assert f'name="{field}"' in content
    assert "significantly affects use of the system; reaction within 6 hours inside the published" in content
    assert "makes use harder; reaction within 1.5 working days" in content


def test_filing_creates_the_ticket_and_shows_its_reference(client, users):
    login_as(client, users)
    response = client.post(reverse("tickets:create"), _form(), follow=True)
    ticket = Ticket.objects.get(idempotency_key="d" * 32)
    assert response.redirect_chain[-1][0] == reverse("tickets:detail", kwargs={"reference": ticket.reference})
    content = response.content.decode()
    assert ticket.reference in content
    assert 'data-testid="promise"' in content
    assert (ticket.severity, ticket.team.slug, ticket.requester) == ("severe", "de-1st-level", users["customer"])


def test_double_submit_creates_one_ticket(client, users):
    login_as(client, users)
    before = Ticket.objects.count()
    first = client.post(reverse("tickets:create"), _form())
    second = client.post(reverse("tickets:create"), _form())
    assert Ticket.objects.count() == before + 1
    assert first["Location"] == second["Location"]


def test_failed_submit_keeps_what_was_typed_and_explains_next_to_the_field(client, users):
    login_as(client, users)
    response = client.post(reverse("tickets:create"), _form(severity="", impact=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"severity", "impact"}
    content = response.content.decode()
    assert "Beim Übertragen erscheint „Fehler 42“." in content
    assert 'value="Prüfstand meldet Fehler 42"' in content
    assert 'value="' + "d" * 32 + '"' in content  # the same token: a retry is still one ticket
    assert "invalid-feedback" in content


def test_errors_are_in_the_users_language(client, users):
    login_as(client, users, language="de")
    response = client.post(reverse("tickets:create"), _form(severity=""))
    assert "Bitte wählen Sie, wie schwer die Störung ist." in response.content.decode()


def test_question_needs_no_severity(client, users):
    login_as(client, users)
    response = client.post(reverse("tickets:create"), _form(category="question", severity="", impact=""))
    assert response.status_code == 302
    assert Ticket.objects.get(idempotency_key="d" * 32).severity == ""


def test_refused_attachment_does_not_stop_filing(client, users):
    login_as(client, users)
    response = client.post(
        reverse("tickets:create"), {**_form(), "attachments": [upload(), upload("virus.exe", b"MZ")]}, follow=True
    )
    ticket = Ticket.objects.get(idempotency_key="d" * 32)
    assert list(ticket.attachments.values_list("original_name", flat=True)) == ["Prüfbericht.pdf"]
    messages = [str(m) for m in response.context["messages"]]
    assert any("virus.exe" in m and "not accepted" in m for m in messages)


def test_reader_gets_403_naming_whom_to_contact(client, users):
    login_as(client, users, "reader")
    before = Ticket.objects.count()
    for response in (client.get(reverse("tickets:create")), client.post(reverse("tickets:create"), _form())):
        assert response.status_code == 403
        assert "registered support contact" in response.content.decode()
    assert Ticket.objects.count() == before


def test_agent_cannot_use_the_customer_filing_form(client, users):
    login_as(client, users, "agent")
    assert client.post(reverse("tickets:create"), _form()).status_code == 403


def test_reseller_customer_files_to_the_resellers_team(client, users):
    login_as(client, users, "partner-customer")
    client.post(reverse("tickets:create"), _form())
    assert Ticket.objects.get(idempotency_key="d" * 32).team.slug == "partnersoft"


# --- preview and out-of-hours ----------------------------------------------------------------

def test_preview_says_the_deadline_comes_after_filing_when_it_cannot_be_told(client, users, monkeypatch):
    monkeypatch.setattr(sla_preview, "reaction_deadline_preview", lambda **kw: None)
    monkeypatch.setattr(sla_preview, "support_status", lambda **kw: None)
    login_as(client, users)
    response = client.get(reverse("tickets:preview"), {"category": "fault", "severity": "severe"})
    assert b'data-testid="preview-deadline-later"' in response.content
    assert b"out-of-hours" not in response.content


def test_preview_asks_for_a_severity_first(client, users):
    login_as(client, users)
    response = client.get(reverse("tickets:preview"), {"category": "fault"})
    assert b"Choose the severity" in response.content


def test_preview_shows_the_deadline_in_the_readers_language(client, users, monkeypatch):
    calls = []

    def deadline(**kwargs):
        calls.append(kwargs)
        return datetime(2026, 11, 23, 12, 30, tzinfo=UTC)

    monkeypatch.setattr(sla_preview, "reaction_deadline_preview", deadline)
    login_as(client, users, language="de")
    response = client.get(reverse("tickets:preview"), {"category": "fault", "severity": "severe"})
    assert "Montag, 23. November 2026, 13:30" in response.content.decode()
    assert calls[0]["organisation"] == users["customer"].organisation
    assert (calls[0]["category"], calls[0]["severity"]) == ("fault", "severe")


def test_us_customer_reads_the_deadline_in_us_eastern_time(client, users, monkeypatch):
    monkeypatch.setattr(sla_preview, "reaction_deadline_preview",
                        lambda **kw: datetime(2026, 11, 23, 19, 0, tzinfo=UTC))
    login_as(client, users, "us-customer")
    response = client.get(reverse("tickets:preview"), {"category": "question"})
    assert "Monday, 23 November 2026, 14:00 EST" in response.content.decode()


def _closed_until_monday(monkeypatch):
    monkeypatch.setattr(
        sla_preview, "support_status", lambda **kw: (False, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    )


def test_severe_fault_outside_hours_offers_paid_service(client, users, monkeypatch):
    _closed_until_monday(monkeypatch)
    login_as(client, users)
    content = client.get(reverse("tickets:preview"), {"category": "fault", "severity": "severe"}).content.decode()
    assert "It opens again on Monday, 23 November 2026, 09:00 CET" in content
    assert 'name="accept_out_of_hours"' in content
    minor = client.get(reverse("tickets:preview"), {"category": "fault", "severity": "minor"}).content.decode()
    assert "accept_out_of_hours" not in minor


def test_accepting_out_of_hours_stores_the_notice_as_shown(client, users, monkeypatch):
    _closed_until_monday(monkeypatch)
    login_as(client, users, language="de")
    client.post(reverse("tickets:create"), _form(accept_out_of_hours="on"))
    ticket = Ticket.objects.get(idempotency_key="d" * 32)
    assert ticket.out_of_hours_accepted_by == users["customer"]
    assert "Montag, 23. November 2026, 09:00" in ticket.out_of_hours_notice
    assert "kostenpflichtig" in ticket.out_of_hours_notice


def test_not_accepting_out_of_hours_stores_nothing(client, users, monkeypatch):
    _closed_until_monday(monkeypatch)
    login_as(client, users)
    client.post(reverse("tickets:create"), _form())
    assert Ticket.objects.get(idempotency_key="d" * 32).out_of_hours_accepted_at is None


def test_acceptance_without_a_shown_notice_is_ignored(client, users, monkeypatch):
    monkeypatch.setattr(sla_preview, "support_status", lambda **kw: None)
    login_as(client, users)  # support_status unknown: no notice was shown
    client.post(reverse("tickets:create"), _form(accept_out_of_hours="on"))
    assert Ticket.objects.get(idempotency_key="d" * 32).out_of_hours_accepted_at is None
