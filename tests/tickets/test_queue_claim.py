"""Taking and handing over tickets under the row lock: whoever comes second is told who has the
ticket, and nothing is overwritten silently."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse

from tests.tickets.conftest import login_as
from tickets import services
from tickets.models import EventCode, Ticket

pytestmark = pytest.mark.django_db


def test_taking_a_free_ticket_assigns_it_with_an_internal_event(users, file_ticket):
    ticket = services.ticket_claim(ticket=file_ticket(), actor=users["agent"])
    assert ticket.assignee == users["agent"]
    event = ticket.events.get(code=EventCode.ASSIGNED)
    assert not event.is_public and event.actor == users["agent"]


def test_taking_a_ticket_someone_else_took_first_is_refused_by_name(users, file_ticket):
    ticket = file_ticket()
    services.ticket_claim(ticket=ticket, actor=users["manager"])
    with pytest.raises(services.AlreadyTaken) as refused:
        services.ticket_claim(ticket=ticket, actor=users["agent"])  # the stale object still says "free"
    assert "Martin Groß has already taken" in refused.value.messages[0]
    assert refused.value.holder == users["manager"]
    ticket.refresh_from_db()
    assert ticket.assignee == users["manager"]
    assert ticket.events.filter(code=EventCode.ASSIGNED).count() == 1


def test_taking_ones_own_ticket_again_writes_nothing(users, file_ticket):
    ticket = services.ticket_claim(ticket=file_ticket(), actor=users["agent"])
    services.ticket_claim(ticket=ticket, actor=users["agent"])
    assert ticket.events.filter(code=EventCode.ASSIGNED).count() == 1


def test_customers_and_foreign_agents_cannot_take(users, file_ticket):
    ticket = file_ticket()
    with pytest.raises(PermissionDenied):
        services.ticket_claim(ticket=ticket, actor=users["customer"])
    with pytest.raises(PermissionDenied):
        services.ticket_claim(ticket=ticket, actor=users["partner-agent"])


def test_handing_over_checks_what_the_agent_saw(users, file_ticket):
    ticket = file_ticket()
    services.ticket_hand_over(ticket=ticket, actor=users["agent"], assignee=users["manager"], expected_assignee_id=None)
    # Someone who still saw "unassigned" cannot overwrite the manager
    with pytest.raises(services.AlreadyTaken) as refused:
        services.ticket_hand_over(ticket=ticket, actor=users["admin"], assignee=users["admin"],
                                  expected_assignee_id=None)
    assert "Martin Groß holds" in refused.value.messages[0]
    # Someone who saw the manager can hand it on, or back to nobody
    services.ticket_hand_over(ticket=ticket, actor=users["admin"], assignee=None,
                              expected_assignee_id=users["manager"].pk)
    ticket.refresh_from_db()
    assert ticket.assignee is None
    with pytest.raises(services.AlreadyTaken) as refused:
        services.ticket_hand_over(ticket=ticket, actor=users["agent"], assignee=users["agent"],
                                  expected_assignee_id=users["manager"].pk)
    assert "unassigned in the meantime" in refused.value.messages[0]


def test_moving_to_another_team_drops_an_assignee_who_is_not_a_member(users, demo, file_ticket):
    ticket = services.ticket_claim(ticket=file_ticket(), actor=users["manager"])  # manager: not in POS hotline
    moved = services.ticket_move_to_team(ticket=ticket, actor=users["agent"], team=demo["teams"]["pos-hotline"])
    assert moved.team == demo["teams"]["pos-hotline"] and moved.assignee is None
    kept = services.ticket_claim(ticket=file_ticket(), actor=users["agent"])  # agent: member of both
    kept = services.ticket_move_to_team(ticket=kept, actor=users["agent"], team=demo["teams"]["pos-hotline"])
    assert kept.assignee == users["agent"]


def test_moving_to_a_team_of_another_organisation_is_refused(users, demo, file_ticket):
    with pytest.raises(ValidationError) as refused:
        services.ticket_move_to_team(ticket=file_ticket(), actor=users["agent"], team=demo["teams"]["partnersoft"])
    assert "team" in refused.value.message_dict


def test_the_take_button_shows_the_refusal_message(client, users, file_ticket):
    ticket = file_ticket()
    services.ticket_claim(ticket=ticket, actor=users["manager"])
    login_as(client, users, "agent")
    response = client.post(reverse("tickets:claim", kwargs={"reference": ticket.reference}), follow=True)
    assert "Martin Groß has already taken" in response.content.decode()


def test_the_assign_form_refuses_a_stale_view(client, users, file_ticket):
    ticket = file_ticket()
    login_as(client, users, "agent")
    services.ticket_claim(ticket=ticket, actor=users["manager"])
    response = client.post(reverse("tickets:assign", kwargs={"reference": ticket.reference}),
                           {"assignee": users["agent"].pk, "expected": ""})
    assert response.status_code == 200
    assert "Martin Groß holds" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee == users["manager"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_agents_taking_at_the_same_moment_one_wins_one_is_told(demo, file_ticket):
    users = demo["users"]
    ticket = file_ticket()
    barrier, results = threading.Barrier(2), {}

    def take(username):
        try:
            barrier.wait()
            services.ticket_claim(ticket=Ticket.objects.get(pk=ticket.pk), actor=users[username])
            results[username] = "took"
        except services.AlreadyTaken:
            results[username] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(name,)) for name in ("agent", "manager")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["refused", "took"]
    ticket.refresh_from_db()
    winner = next(name for name, result in results.items() if result == "took")
    assert ticket.assignee == users[winner]
    assert ticket.events.filter(code=EventCode.ASSIGNED).count() == 1
