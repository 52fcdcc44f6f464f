"""The bell, the list and marking read: for agents and managers, in the reader's language."""

import pytest
from django.urls import reverse

from escalation.kinds import SLA_ESCALATION
from notifications import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo):
    """The demo's people without the demo's notifications (which of today's tickets escalated
    while seeding depends on the hour)."""
    Notification.objects.all().delete()
    return demo["users"]


def notify(user, level="breach", target="reaction", reference="HD-2026-000001", ticket=None):
    """An escalation notification of a target due on Monday 2 March 2026, 15:00 Berlin (a warning
    fell due 1 h 30 min of support time earlier)."""
    level_at = "2026-03-02T12:30:00+00:00" if level == "warning" else "2026-03-02T14:00:00+00:00"
    return services.notification_create(
        recipient=user, kind=SLA_ESCALATION, ticket=ticket,
        payload={"target": target, "level": level, "due_at": "2026-03-02T14:00:00+00:00", "level_at": level_at,
                 "left_seconds": 5400 if level == "warning" else None, "reference": reference},
    )


def login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)


def test_the_bell_counts_the_unread_notifications_with_one_count_query(
    client, users, django_assert_num_queries
):
    for _ in range(3):
        notify(users["agent"])
    read = notify(users["agent"])
    services.notification_mark_read(user=users["agent"], notification_id=read.pk)
    notify(users["manager"])
    login(client, users["agent"])
    with django_assert_num_queries(3):  # session, user, COUNT
        response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert '<span class="position-absolute' in response.content.decode()
    assert ">3<" in response.content.decode()


def test_the_bell_is_empty_without_unread_notifications(client, users):
    login(client, users["agent"])
    response = client.get(reverse("notifications:bell"))
    assert "notification-count" not in response.content.decode()


def test_the_bell_stops_polling_when_the_session_has_expired(client):
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 286 and response.content == b""


def test_the_bell_is_in_the_navigation_of_agents_only(client, users):
    login(client, users["manager"])
    assert 'data-testid="notification-bell"' in client.get(reverse("home")).content.decode()
    client.force_login(users["customer"])
    assert 'data-testid="notification-bell"' not in client.get(reverse("home")).content.decode()


def test_customers_cannot_read_notifications(client, users):
    client.force_login(users["customer"])
    assert client.get(reverse("notifications:list")).status_code == 403
    assert client.get(reverse("notifications:bell")).status_code == 403


def test_the_list_shows_the_newest_first_in_the_readers_language(client, users):
    notify(users["manager"], level="warning", reference="HD-2026-000001")
    notify(users["manager"], level="breach", reference="HD-2026-000002")
    login(client, users["manager"], language="de")
    page = client.get(reverse("notifications:list")).content.decode()
    first = page.index("Die Reaktionsfrist von HD-2026-000002 ist am Montag, 2. März 2026, 15:00 CET abgelaufen.")
    second = page.index(
        "Die Reaktion auf HD-2026-000001 ist fällig bis Montag, 2. März 2026, 15:00 CET: "
        "noch 1 Std. 30 Min. Supportzeit."
    )
    assert first < second
    login(client, users["manager"], language="en")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "The reaction deadline of HD-2026-000002 passed on Monday, 2 March 2026, 15:00 CET." in page


def test_the_list_is_paginated_with_a_fixed_number_of_queries(client, users, django_assert_max_num_queries):
    for number in range(30):
        notify(users["agent"], reference=f"HD-2026-{number:06d}")
    login(client, users["agent"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:list"))
    assert len(response.context["rows"]) == 25
    assert len(client.get(reverse("notifications:list") + "?page=2").context["rows"]) == 5


def test_opening_a_notification_marks_it_read_and_goes_to_the_tickets_workspace(client, users, demo):
    from tickets.models import Ticket

    ticket = Ticket.objects.filter(organisation__customer_number="10001").first()
    notification = notify(users["agent"], ticket=ticket, reference=ticket.reference)
    login(client, users["agent"])
    target = reverse("tickets:workspace", kwargs={"reference": ticket.reference})
    assert f'value="{target}"' in client.get(reverse("notifications:list")).content.decode()
    response = client.post(reverse("notifications:mark_read", kwargs={"pk": notification.pk}), {"next": target})
    assert response.status_code == 302 and response["Location"] == target
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_someone_elses_notification_is_a_404(client, users):
    notification = notify(users["manager"])
    login(client, users["agent"])
    response = client.post(reverse("notifications:mark_read", kwargs={"pk": notification.pk}))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_outside_next_address_is_ignored(client, users):
    notification = notify(users["agent"])
    login(client, users["agent"])
    response = client.post(
        reverse("notifications:mark_read", kwargs={"pk": notification.pk}), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_marks_only_mine(client, users):
    for _ in range(2):
        notify(users["agent"])
    other = notify(users["manager"])
    login(client, users["agent"])
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert not Notification.objects.filter(recipient=users["agent"], read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_read_twice_changes_nothing_the_second_time(users):
    notification = notify(users["agent"])
    assert services.notification_mark_read(user=users["agent"], notification_id=notification.pk) is True
    first = Notification.objects.get(pk=notification.pk).read_at
    assert services.notification_mark_read(user=users["agent"], notification_id=notification.pk) is False
    assert Notification.objects.get(pk=notification.pk).read_at == first


def test_an_unknown_kind_is_shown_with_a_neutral_text(client, users):
    services.notification_create(recipient=users["agent"], kind="from_the_future", payload={})
    login(client, users["agent"])
    assert "A notification of a kind this version does not know." in client.get(
        reverse("notifications:list")
    ).content.decode()
