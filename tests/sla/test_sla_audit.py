"""The audit trail of the SLA configuration: every change — through the services, the admin or a
command — records actor, origin, time, object, action and the old and new values of the changed
fields, in the same transaction; managers and admins read, filter and export it, nobody else."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from sla import services
from sla.models import Closure, Contract, Holiday, SlaChange
from tests.factories import OrganisationFactory
from tests.sla.factories import contract, nrw_calendar, policy
from tests.sla.test_sla_admin import change_form_data
from tests.tickets.sla_helpers import berlin, clock

pytestmark = pytest.mark.django_db

NOW = berlin(2026, 5, 4, 9, 15)
Kind, Action = SlaChange.Kind, SlaChange.Action


def _changes(**filters):
    return list(SlaChange.objects.filter(**filters).order_by("pk"))


@pytest.fixture
def users(demo):
    return demo["users"]


@pytest.fixture
def calendar():
    with clock(NOW):
        return nrw_calendar()


def test_creating_a_calendar_records_it_its_hours_and_its_holidays(calendar):
    [created] = _changes(object_kind=Kind.CALENDAR, object_id=calendar.pk)
    assert (created.action, created.actor, created.origin, created.at) == (Action.CREATED, None, "", NOW)
    assert created.old_values == {}
    assert created.new_values["time_zone"] == "Europe/Berlin" and created.new_values["holiday_subdivision"] == "NW"
    [hours] = _changes(object_kind=Kind.OPENING_HOURS, object_id=calendar.pk)
    assert hours.old_values == dict.fromkeys("01234")  # no hours before: closed
    assert hours.new_values["4"] == ["09:00-16:00"] and "5" not in hours.new_values
    assert len(_changes(object_kind=Kind.HOLIDAY, action=Action.CREATED)) == calendar.holidays.count()


def test_a_closure_change_records_only_the_changed_fields_with_actor_and_origin(users, calendar):
    later = NOW + timedelta(hours=2)
    with clock(NOW):
        closure = services.closure_add(calendar=calendar, start_date=date(2026, 12, 24), end_date=date(2026, 12, 31),
                                       reason="Betriebsferien", actor=users["manager"], origin="admin")
    with clock(later):
        services.closure_change(closure=closure, start_date=date(2026, 12, 24), end_date=date(2027, 1, 1),
                                reason="Betriebsferien", kind=closure.kind, actor=users["manager"], origin="admin")
    created, changed = _changes(object_kind=Kind.CLOSURE, object_id=closure.pk)
    assert created.action == Action.CREATED and created.new_values["reason"] == "Betriebsferien"
    assert (changed.action, changed.actor, changed.origin, changed.at) == (
        Action.CHANGED, users["manager"], "admin", later)
    assert changed.old_values == {"end_date": "2026-12-31"}
    assert changed.new_values == {"end_date": "2027-01-01"}
    assert "Betriebsferien" in changed.object_repr


def test_a_no_op_records_nothing(calendar):
    closure = services.closure_add(calendar=calendar, start_date=date(2026, 8, 3), end_date=date(2026, 8, 7),
                                   reason="Sommer")
    before = SlaChange.objects.count()
    services.closure_change(closure=closure, start_date=date(2026, 8, 3), end_date=date(2026, 8, 7),
                            reason=" Sommer ", kind=closure.kind)
    services.calendar_update(calendar=calendar, data={"name": calendar.name})
    services.calendar_set_hours(calendar=calendar, hours={0: [(540, 1020)], 1: [(540, 1020)], 2: [(540, 1020)],
                                                          3: [(540, 1020)], 4: [(540, 960)]})
    services.calendar_holidays_sync(calendar=calendar)
    assert SlaChange.objects.count() == before


def test_deletions_keep_the_old_values(calendar):
    closure = services.closure_add(calendar=calendar, start_date=date(2026, 8, 3), end_date=date(2026, 8, 7),
                                   reason="Sommer")
    closure_id = closure.pk
    services.closure_remove(closure=closure)
    deleted = _changes(object_kind=Kind.CLOSURE, object_id=closure_id)[-1]
    assert deleted.action == Action.DELETED and deleted.new_values == {}
    assert deleted.old_values["reason"] == "Sommer" and deleted.old_values["calendar"]["id"] == calendar.pk
    generated = calendar.holidays.filter(source=Holiday.Source.GENERATED).first()
    services.holiday_remove(holiday=generated)
    removed = _changes(object_kind=Kind.HOLIDAY, object_id=generated.pk)[-1]
    assert (removed.action, removed.old_values, removed.new_values) == (
        Action.CHANGED, {"is_active": True}, {"is_active": False})


def test_policies_targets_contracts_and_overrides_are_audited(calendar):
    pol = policy(calendar)
    services.policy_update(policy=pol, data={"warning_threshold_percent": 80})
    services.policy_target_set(policy=pol, severity="severe", reaction_target="4h")
    deal = contract(OrganisationFactory(), pol)
    services.contract_update(contract=deal, data={"daily_rate": Decimal("960.00")})
    other = policy(calendar, slug="pos-koeln")
    services.contract_override_set(contract=deal, category="fault", policy=other)
    services.contract_override_set(contract=deal, category="fault", policy=None)
    actions = [(c.object_kind, c.action) for c in SlaChange.objects.exclude(
        object_kind__in=[Kind.CALENDAR, Kind.HOLIDAY, Kind.OPENING_HOURS]).order_by("pk")]
    assert actions == [
        (Kind.POLICY, Action.CREATED), (Kind.POLICY_TARGET, Action.CREATED), (Kind.POLICY_TARGET, Action.CREATED),
        (Kind.POLICY, Action.CHANGED), (Kind.POLICY_TARGET, Action.CHANGED),
        (Kind.CONTRACT, Action.CREATED), (Kind.CONTRACT, Action.CHANGED),
        (Kind.POLICY, Action.CREATED), (Kind.POLICY_TARGET, Action.CREATED), (Kind.POLICY_TARGET, Action.CREATED),
        (Kind.CONTRACT_OVERRIDE, Action.CREATED), (Kind.CONTRACT_OVERRIDE, Action.DELETED),
    ]
    target_change = _changes(object_kind=Kind.POLICY_TARGET, action=Action.CHANGED)[0]
    assert (target_change.old_values, target_change.new_values) == ({"reaction_target": "6h"},
                                                                    {"reaction_target": "4h"})
    rate = _changes(object_kind=Kind.CONTRACT, action=Action.CHANGED)[0]
    assert (rate.old_values, rate.new_values) == ({"daily_rate": None}, {"daily_rate": "960.00"})


def test_the_audit_row_is_written_in_the_transaction_of_the_change(calendar):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.closure_add(calendar=calendar, start_date=date(2026, 8, 3), end_date=date(2026, 8, 7),
                             reason="Sommer")
        raise RuntimeError
    assert not Closure.objects.filter(reason="Sommer").exists()
    assert not SlaChange.objects.filter(object_kind=Kind.CLOSURE).exists()
    with mock.patch("sla.services.audit.SlaChange.save", side_effect=RuntimeError), pytest.raises(RuntimeError):
        services.closure_add(calendar=calendar, start_date=date(2026, 8, 3), end_date=date(2026, 8, 7),
                             reason="Sommer")
    assert not Closure.objects.filter(reason="Sommer").exists()


def test_the_sync_command_records_its_name_and_no_actor(calendar):
    Holiday.objects.filter(calendar=calendar, source=Holiday.Source.GENERATED, date__year=2027).delete()
    call_command("sync_holidays", calendar=calendar.slug, stdout=open("/dev/null", "w"))  # noqa: SIM115
    synced = _changes(object_kind=Kind.HOLIDAY, origin="command:sync_holidays")
    assert synced and all(c.actor is None and c.action == Action.CREATED for c in synced)
    assert {c.new_values["date"][:4] for c in synced} == {"2027"}


def test_the_demo_seed_is_recorded_as_the_seed_command(demo):
    assert SlaChange.objects.filter(origin="command:seed_demo", object_kind=Kind.CONTRACT).exists()
    assert not SlaChange.objects.filter(actor__isnull=False).exists()


# --- the admin ----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, demo):
    admin = demo["users"]["admin"]
    admin.language = "en"
    admin.save(update_fields=["language"])
    client.force_login(admin)
    return client


def test_an_admin_change_of_a_closure_is_recorded_with_the_admin_as_actor(admin_client, users):
    closure = Closure.objects.get(reason="Betriebsferien")
    url = reverse("admin:sla_calendar_change", args=[closure.calendar_id])
    data = change_form_data(admin_client.get(url))
    index = next(key.split("-")[1] for key, value in data.items()
                 if key.startswith("closures-") and key.endswith("-id") and value == str(closure.pk))
    data[f"closures-{index}-reason"] = "Weihnachtspause"
    with clock(NOW):
        assert admin_client.post(url, data).status_code == 302
    [change] = _changes(object_kind=Kind.CLOSURE, object_id=closure.pk, origin="admin")
    assert (change.actor, change.at, change.old_values, change.new_values) == (
        users["admin"], NOW, {"reason": "Betriebsferien"}, {"reason": "Weihnachtspause"})


def test_deleting_a_contract_in_the_admin_records_it_and_its_overrides(admin_client, users):
    deal = Contract.objects.filter(overrides__isnull=False).first()
    override_ids = list(deal.overrides.values_list("pk", flat=True))
    response = admin_client.post(reverse("admin:sla_contract_delete", args=[deal.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Contract.objects.filter(pk=deal.pk).exists()
    assert _changes(object_kind=Kind.CONTRACT, object_id=deal.pk, action=Action.DELETED, actor=users["admin"])
    assert {c.object_id for c in _changes(object_kind=Kind.CONTRACT_OVERRIDE, action=Action.DELETED)} == set(
        override_ids)

