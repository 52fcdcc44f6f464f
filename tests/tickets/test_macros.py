"""Macros: a reply with placeholders and field changes in one action, previewed first, one history
entry; refused as a whole when a step is refused; per team or personal; in the workspace and the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_token_create
from sla.choices import Status
from tests.factories import AgentFactory, ContactFactory, OrganisationFactory, TeamFactory, TicketFactory
from tickets import selectors
from tickets.models import Comment, EventCode, Macro, TicketEvent
from tickets.services import macro_preview, macro_save, macros_for, ticket_change_status, ticket_macro_apply
from tickets.services.tags import tag_names
from tickets.timeline import timeline_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    agent = AgentFactory(language="en", first_name="Anja", last_name="Böhm")
    team = TeamFactory(organisation=agent.organisation, name="Second level")
    team.members.add(agent)
    organisation = OrganisationFactory()
    return {"agent": agent, "team": team, "anna": ContactFactory(organisation=organisation, first_name="Anna",
                                                                  last_name="Meier", language="en")}


def ticket(desk, **fields):
    return TicketFactory(requester=desk["anna"], **fields)


def full_macro(desk, **overrides):
    values = {
        "actor": desk["agent"], "title": "Warten auf Logdateien", "team": desk["team"],
        "reply": "Hallo {customer_name}, bitte senden Sie uns die Logdateien zu {reference}. {agent_name}",
        "status": Status.WAITING_ON_CUSTOMER, "severity": "severe", "severity_reason": "Produktion steht",
        "set_team": desk["team"], "set_assignee": desk["agent"], "add_tags": "logs, wartet",
    }
    return macro_save(**{**values, **overrides})


def test_preview_shows_everything_and_writes_nothing(desk):
    t = ticket(desk)
    ticket_change_status(ticket=t, actor=desk["agent"], status=Status.IN_PROGRESS)
    events = TicketEvent.objects.count()
    plan = macro_preview(macro=full_macro(desk), ticket=t, actor=desk["agent"])
    assert plan.reply == f"Hallo Anna Meier, bitte senden Sie uns die Logdateien zu {t.reference}. Anja Böhm"
    assert [label for label, _old, _new in plan.changes] == ["Status", "Severity", "Team", "Assignee", "Tags"]
    assert plan.changes[1][2] == "Severe (Produktion steht)"
    assert plan.problems == []
    assert TicketEvent.objects.count() == events and not Comment.objects.filter(ticket=t).exists()


def test_apply_does_it_all_in_one_history_entry(desk):
    t = ticket(desk)
    ticket_change_status(ticket=t, actor=desk["agent"], status=Status.IN_PROGRESS)
    macro = full_macro(desk)
    entry = ticket_macro_apply(macro=macro, ticket=t, actor=desk["agent"])
    t.refresh_from_db()
    assert (t.status, t.severity, t.team, t.assignee) == (Status.WAITING_ON_CUSTOMER, "severe", desk["team"],
                                                          desk["agent"])
    assert tag_names(t) == ["logs", "wartet"]
    reply = Comment.objects.get(ticket=t)
    assert reply.body.startswith("Hallo Anna Meier") and not reply.is_internal
    assert entry.code == EventCode.MACRO_APPLIED and entry.payload["macro"]["title"] == macro.title
    assert [step["code"] for step in entry.payload["steps"]] == [
        "status_changed", "severity_changed", "assigned", "tags_changed"]
    severity = TicketEvent.objects.get(ticket=t, code=EventCode.SEVERITY_CHANGED)
    assert severity.payload["reason"] == "Produktion steht"
    # The agents' timeline: the reply and one entry for the macro (its steps folded into it).
    items = timeline_for(ticket=t, events=selectors.ticket_events_for_user(ticket=t, user=desk["agent"]),
                         attachments={})
    macro_items = [item for item in items if "Warten auf Logdateien" in item.text]
    assert len(macro_items) == 1 and "Produktion steht" in macro_items[0].text
    waiting = str(Status.WAITING_ON_CUSTOMER.label)
    assert [item for item in items if item.text.startswith("Anja Böhm changed the status")
            and waiting in item.text] == []
    # The customer sees the status change as ever (the macro's entry is internal).
    customer_items = timeline_for(ticket=t, events=selectors.ticket_events_for_user(ticket=t, user=desk["anna"]),
                                  attachments={})
    assert any(waiting in item.text for item in customer_items)
    assert not any("Warten auf Logdateien" in item.text for item in customer_items)


def test_a_refused_step_rolls_the_whole_macro_back(desk):
    t = ticket(desk)
    t = ticket_change_status(ticket=t, actor=desk["agent"], status=Status.RESOLVED)
    macro = full_macro(desk)  # resolved → waiting on customer is not allowed
    plan = macro_preview(macro=macro, ticket=t, actor=desk["agent"])
    assert plan.problems
    events = TicketEvent.objects.count()
    with pytest.raises(ValidationError):
        ticket_macro_apply(macro=macro, ticket=t, actor=desk["agent"])
    t.refresh_from_db()
    assert TicketEvent.objects.count() == events
    assert not Comment.objects.filter(ticket=t).exists() and tag_names(t) == [] and t.severity == "minor"


def test_personal_macros_are_their_owners_and_team_macros_their_teams(desk):
    personal = macro_save(actor=desk["agent"], title="Meins", reply="Danke!")
    team = full_macro(desk)
    colleague = AgentFactory(organisation=desk["agent"].organisation)
    t = ticket(desk)
    assert set(macros_for(user=desk["agent"], ticket=t)) == {personal, team}
    assert list(macros_for(user=colleague, ticket=t)) == []
    with pytest.raises(ValidationError):
        ticket_macro_apply(macro=personal, ticket=t, actor=colleague)
    with pytest.raises(PermissionDenied):
        ticket_macro_apply(macro=personal, ticket=t, actor=desk["anna"])


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": " "}, "title"),
    ({"severity": "severe", "severity_reason": ""}, "severity_reason"),
    ({"add_tags": "x" * 60}, "add_tags"),
    ({"set_team": "foreign"}, "set_team"),
])
def test_macro_save_refusals(desk, overrides, field):
    if overrides.get("set_team") == "foreign":
        overrides["set_team"] = TeamFactory()
    with pytest.raises(ValidationError) as refused:
        full_macro(desk, **overrides)
    assert field in refused.value.message_dict
    assert not Macro.objects.exists()


# --- pages and API ---------------------------------------------------------------------------------


def test_workspace_preview_then_apply(client, desk):
    t = ticket(desk)
    ticket_change_status(ticket=t, actor=desk["agent"], status=Status.IN_PROGRESS)
    macro = full_macro(desk)
    client.force_login(desk["agent"])
    url = reverse("tickets:work_macro", kwargs={"reference": t.reference})
    preview = client.post(url, {"macro": macro.pk, "step": "preview"})
    assert preview.status_code == 200
    assert preview.context["macro_plan"].macro == macro
    assert b'data-testid="macro-apply"' in preview.content
    assert not Comment.objects.filter(ticket=t).exists()
    applied = client.post(url, {"macro": macro.pk, "step": "apply"})
    assert applied.status_code == 302
    assert TicketEvent.objects.filter(ticket=t, code=EventCode.MACRO_APPLIED).count() == 1
    refused = client.post(url, {"macro": macro.pk + 100, "step": "apply"})
    assert refused.status_code == 200 and "macro" in refused.context["macro_form"].errors


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='Skript')[1]}")
    return client


def test_api_macros(desk):
    t = ticket(desk)
    ticket_change_status(ticket=t, actor=desk["agent"], status=Status.IN_PROGRESS)
    macro = full_macro(desk)
    base = f"/api/v1/tickets/{t.reference}/macros/"
    agent = api(desk["agent"])
    assert [m["title"] for m in agent.get(base).json()] == ["Warten auf Logdateien"]
    plan = agent.post(f"{base}{macro.pk}/preview/").json()
    assert plan["problems"] == []
    assert plan["changes"][0] == {"field": "Status", "old": str(Status.IN_PROGRESS.label),
                                  "new": str(Status.WAITING_ON_CUSTOMER.label)}
    applied = agent.post(f"{base}{macro.pk}/apply/")
    assert applied.status_code == 200 and applied.json()["status"] == "waiting"
    assert agent.post(f"{base}{macro.pk + 100}/apply/").status_code == 404
    assert agent.post(f"{base}{2**70}/apply/").status_code == 404
    assert api(desk["anna"]).get(base).status_code == 403
    assert api(desk["anna"]).post(f"{base}{macro.pk}/apply/").status_code == 403
    ticket_change_status(ticket=t, actor=desk["agent"], status=Status.RESOLVED)
    refused = agent.post(f"{base}{macro.pk}/apply/")
    assert refused.status_code == 422 and refused.json()["code"] == "transition"
