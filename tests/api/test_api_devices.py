"""Device reports: a fault opens a ticket, repeats are added to it while it is open, a
recovery is noted; only the device's own key is accepted."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from api.models import Device, DeviceIncident
from api.services import device_deactivate, device_key_rotate, device_register, device_report
from sla.choices import Severity, Status
from tickets.choices import Channel
from tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/device-reports/"


@pytest.fixture
def till(orgs):
    device, key = device_register(organisation=orgs["retail"], name="Kasse 3, Filiale Köln", serial="POS-0003")
    return device, key


def device_client(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Device {key}")
    return client


def test_fault_report_opens_a_severe_device_ticket_with_its_deadline(till):
    device, key = till
    response = device_client(key).post(
        REPORTS, {"error_code": "E42", "level": "critical", "message": "Bondrucker: Papierstau"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["action"] == "opened"
    ticket = Ticket.objects.get(reference=response.json()["ticket"])
    assert ticket.channel == Channel.DEVICE and ticket.requester is None
    assert ticket.severity == Severity.SEVERE and ticket.category == "fault"
    assert ticket.organisation == device.organisation
    assert ticket.reaction_due_at is not None
    assert ticket.sla_calendar.slug == "pos-extended"  # the retail contract's POS override
    assert "Kasse 3, Filiale Köln: E42" in ticket.subject
    assert "Papierstau" in ticket.description and "Gerät" in ticket.description  # the organisation's language


def test_repeats_are_added_to_the_open_ticket_and_raise_but_never_lower_severity(till):
    device, key = till
    client = device_client(key)
    first = client.post(REPORTS, {"error_code": "E42", "level": "warning"}, format="json").json()
    second = client.post(REPORTS, {"error_code": "E42", "level": "critical"}, format="json")
    third = client.post(REPORTS, {"error_code": "E42", "level": "warning"}, format="json")
    assert second.status_code == 200 and second.json() == {"action": "added", "ticket": first["ticket"]}
    assert third.json()["ticket"] == first["ticket"]
    ticket = Ticket.objects.get(reference=first["ticket"])
    assert ticket.severity == Severity.SEVERE
    assert Ticket.objects.filter(organisation=device.organisation, channel=Channel.DEVICE).count() == 1
    notes = Comment.objects.filter(ticket=ticket)
    assert notes.count() == 2 and all(n.is_internal and n.channel == Channel.DEVICE for n in notes)
    incident = DeviceIncident.objects.get(device=device, error_code="E42")
    assert incident.report_count == 3 and incident.is_open


def test_another_error_code_opens_another_ticket(till):
    _, key = till
    client = device_client(key)
    first = client.post(REPORTS, {"error_code": "E42"}, format="json").json()
    other = client.post(REPORTS, {"error_code": "E7"}, format="json").json()
    assert other["action"] == "opened" and other["ticket"] != first["ticket"]


def test_recovery_is_noted_publicly_and_a_later_fault_joins_the_same_open_ticket(till):
    device, key = till
    client = device_client(key)
    opened = client.post(REPORTS, {"error_code": "E42"}, format="json").json()
    recovered = client.post(REPORTS, {"error_code": "E42", "status": "recovered", "message": "Papier nachgelegt"},
                            format="json")
    assert recovered.status_code == 200
    assert recovered.json() == {"action": "recovered", "ticket": opened["ticket"]}
    note = Comment.objects.get(ticket__reference=opened["ticket"])
    assert not note.is_internal and "Papier nachgelegt" in note.body
    assert DeviceIncident.objects.get(device=device).recovered_at is not None
    again = client.post(REPORTS, {"error_code": "E42"}, format="json").json()
    assert again == {"action": "added", "ticket": opened["ticket"]}
    assert DeviceIncident.objects.get(device=device).recovered_at is None


def test_once_the_ticket_is_resolved_the_next_fault_opens_a_new_one(till, users):
    from tickets.services import ticket_change_status

    _, key = till
    client = device_client(key)
    first = client.post(REPORTS, {"error_code": "E42"}, format="json").json()
    ticket = Ticket.objects.get(reference=first["ticket"])
    ticket_change_status(ticket=ticket, actor=users["agent"], status=Status.RESOLVED)
    again = client.post(REPORTS, {"error_code": "E42"}, format="json")
    assert again.status_code == 201 and again.json()["ticket"] != first["ticket"]
    assert DeviceIncident.objects.filter(is_open=True).count() == 1


def test_recovery_without_an_open_fault_is_ignored(till):
    _, key = till
    response = device_client(key).post(REPORTS, {"error_code": "E42", "status": "recovered"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"action": "ignored", "ticket": None}
    assert not Ticket.objects.filter(channel=Channel.DEVICE).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "error_code"), ({"error_code": "E1", "level": "panic"}, "level"),
     ({"error_code": "E1", "status": "kaputt"}, "status"), ({"error_code": "x" * 51}, "error_code")],
)
def test_invalid_reports_name_the_field(till, body, field):
    _, key = till
    response = device_client(key).post(REPORTS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_deactivated_or_rotated_keys_stop_working(till):
    device, key = till
    new_key = device_key_rotate(device=device)
    assert device_client(key).post(REPORTS, {"error_code": "E1"}, format="json").status_code == 401
    assert device_client(new_key).post(REPORTS, {"error_code": "E1"}, format="json").status_code == 201
    device_deactivate(device=device)
    response = device_client(new_key).post(REPORTS, {"error_code": "E2"}, format="json")
    assert response.status_code == 401
    assert response.json()["detail"] == "This device is deactivated."


def test_devices_belong_to_customers_and_are_unique_per_serial(orgs):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        device_register(organisation=orgs["vendor"], name="Server", serial="S1")
    device_register(organisation=orgs["retail"], name="Kasse 1", serial="POS-0001")
    with pytest.raises(ValidationError):
        device_register(organisation=orgs["retail"], name="Kasse 1 neu", serial="POS-0001")


def test_only_admins_register_devices(orgs, users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        device_register(organisation=orgs["retail"], name="Kasse", serial="X", actor=users["agent"])
    device_register(organisation=orgs["retail"], name="Kasse", serial="X", actor=users["admin"])


def test_register_command_prints_the_key_once(orgs, capsys):
    call_command("device_register", "30001", "Kasse 9", "POS-0009")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    device = Device.objects.get(serial="POS-0009")
    assert key.startswith("hdd_") and device.prefix == key[:12]
    assert device_client(key).post(REPORTS, {"error_code": "E1"}, format="json").status_code == 201


def test_the_database_refuses_a_second_open_incident_for_the_same_code(till, orgs):
    from django.db import IntegrityError, transaction

    device, _ = till
    result = device_report(device=device, error_code="E42")
    with pytest.raises(IntegrityError), transaction.atomic():
        DeviceIncident.objects.create(device=device, error_code="E42", ticket=result.ticket,
                                      opened_at=result.ticket.reported_at, last_report_at=result.ticket.reported_at)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_open_one_ticket(demo):
    organisation = demo["organisations"]["30001"]
    device, _ = device_register(organisation=organisation, name="Kasse 5", serial="POS-0005")
    barrier = threading.Barrier(6)
    results, errors = [], []

    def report():
        from django.db import connections

        try:
            barrier.wait()
            results.append(device_report(device=device, error_code="E99").action)
        except Exception as error:  # collected for the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == ["added"] * 5 + ["opened"]
    assert Ticket.objects.filter(organisation=organisation, channel=Channel.DEVICE).count() == 1
