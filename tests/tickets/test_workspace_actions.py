"""What an agent does in the workspace: reply or internal note (with a server-rendered Markdown
preview), status changes, workaround with its text, the permanent fix release, a severity change
with a required reason, moving to another team. Bad input keeps what was typed."""

import pytest
from django.urls import reverse

from tests.tickets.conftest import login_as
from tickets import services
from tickets.models import Comment, EventCode

pytestmark = pytest.mark.django_db


def _url(ticket, name):
    return reverse(name, kwargs={"reference": ticket.reference})


@pytest.fixture
def agent_client(client, users):
    login_as(client, users, "agent")
    return client


def test_a_reply_goes_to_the_customer_and_counts_as_the_reaction(agent_client, users, file_ticket):
    ticket = file_ticket()
    response = agent_client.post(_url(ticket, "tickets:work_reply"),
                                 {"body": "Wir *schauen* uns das an.", "kind": "reply", "idempotency_key": "a" * 32})
    assert response.status_code == 302
    comment = Comment.objects.get(ticket=ticket)
    assert not comment.is_internal
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is not None


def test_a_reply_token_reused_on_another_ticket_is_sent_there(agent_client, file_ticket):
    first, second = file_ticket(), file_ticket()
    for ticket in (first, second):
        agent_client.post(_url(ticket, "tickets:work_reply"),
                          {"body": "Wir sehen nach.", "kind": "reply", "idempotency_key": "b" * 32})
    assert Comment.objects.filter(ticket=second, body="Wir sehen nach.").count() == 1
    second.refresh_from_db()
    assert second.first_reaction_at is not None


def test_an_internal_note_is_for_agents_only(agent_client, client, users, file_ticket):
    ticket = file_ticket()
    agent_client.post(_url(ticket, "tickets:work_reply"), {"body": "Nur intern", "kind": "note"})
    comment = Comment.objects.get(ticket=ticket)
    assert comment.is_internal
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is None
    login_as(client, users, "customer")
    assert "Nur intern" not in client.get(_url(ticket, "tickets:detail")).content.decode()


def test_an_empty_reply_is_explained_next_to_the_field(agent_client, file_ticket):
    ticket = file_ticket()
    response = agent_client.post(_url(ticket, "tickets:work_reply"), {"body": "  ", "kind": "reply"})
    assert response.status_code == 200
    assert response.context["reply_form"].errors["body"]
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_the_markdown_preview_is_rendered_by_the_server_and_sanitised(agent_client):
    response = agent_client.post(reverse("tickets:markdown_preview"),
                                 {"body": "**fett** <script>alert(1)</script> [x](javascript:alert(1))"})
    html = response.content.decode()
    assert "<strong>fett</strong>" in html
    assert "<script>" not in html and "javascript:" not in html


def test_status_change_uses_the_transition_table(agent_client, file_ticket):
    ticket = file_ticket()
    agent_client.post(_url(ticket, "tickets:work_status"), {"status": "in_progress"})
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    response = agent_client.post(_url(ticket, "tickets:work_status"), {"status": "new"})
    assert response.status_code == 200 and response.context["status_form"].errors
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"


def test_providing_a_workaround_records_the_text_and_the_status(agent_client, client, users, file_ticket):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status="in_progress")
    agent_client.post(_url(ticket, "tickets:work_workaround"), {"workaround": "Export in zwei Hälften."})
    ticket.refresh_from_db()
    assert ticket.status == "workaround" and ticket.workaround == "Export in zwei Hälften."
    login_as(client, users, "customer")
    assert "Export in zwei Hälften." in client.get(_url(ticket, "tickets:detail")).content.decode()


def test_a_workaround_needs_its_text(agent_client, users, file_ticket):
    ticket = services.ticket_change_status(ticket=file_ticket(), actor=users["agent"], status="in_progress")
    response = agent_client.post(_url(ticket, "tickets:work_workaround"), {"workaround": ""})
    assert response.context["workaround_form"].errors["workaround"]
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"


def test_the_permanent_fix_release_is_recorded(agent_client, file_ticket):
    ticket = file_ticket()
    agent_client.post(_url(ticket, "tickets:work_release"), {"release": "7.4"})
    ticket.refresh_from_db()
    assert ticket.fixed_in_release == "7.4"
    assert ticket.events.filter(code=EventCode.FIX_RELEASE_CHANGED).exists()


def test_a_severity_change_needs_a_reason_which_goes_into_the_history(agent_client, file_ticket):
    ticket = file_ticket(severity="minor")
    response = agent_client.post(_url(ticket, "tickets:work_severity"), {"severity": "severe", "reason": " "})
    assert response.context["severity_form"].errors["reason"] == ["Please give a reason for the change."]
    assert response.context["severity_form"]["severity"].value() == "severe"  # what was typed stays
    ticket.refresh_from_db()
    assert ticket.severity == "minor"
    agent_client.post(_url(ticket, "tickets:work_severity"),
                      {"severity": "severe", "reason": "Drei Linien stehen still."})
    ticket.refresh_from_db()
    assert ticket.severity == "severe"
    event = ticket.events.get(code=EventCode.SEVERITY_CHANGED)
    assert event.payload["reason"] == "Drei Linien stehen still."
    timeline = agent_client.get(_url(ticket, "tickets:workspace")).content.decode()
    assert "Drei Linien stehen still." in timeline


def test_moving_to_another_team(agent_client, demo, file_ticket):
    ticket = file_ticket()
    agent_client.post(_url(ticket, "tickets:work_team"), {"team": demo["teams"]["pos-hotline"].pk})
    ticket.refresh_from_db()
    assert ticket.team == demo["teams"]["pos-hotline"]


def test_moving_to_a_foreign_team_is_refused_next_to_the_field(agent_client, demo, file_ticket):
    ticket = file_ticket()
    response = agent_client.post(_url(ticket, "tickets:work_team"), {"team": demo["teams"]["partnersoft"].pk})
    assert response.context["move_form"].errors["team"]


def test_customers_cannot_post_agent_actions(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "customer")
    for name, data in [("tickets:work_status", {"status": "resolved"}), ("tickets:work_reply", {"body": "x"}),
                       ("tickets:claim", {}), ("tickets:work_effort", {"minutes": 5})]:
        assert client.post(_url(ticket, name), data).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "new" and ticket.assignee is None
