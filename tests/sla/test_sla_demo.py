"""The demo calendars, policies and contracts of SEMANTICS.md §1, seeded idempotently."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from sla.models import Calendar, Closure, Contract, ContractOverride, Holiday, OpeningHours, Policy, PolicyTarget

pytestmark = pytest.mark.django_db


def _counts():
    return [model.objects.count() for model in (Calendar, OpeningHours, Holiday, Closure, Policy, PolicyTarget,
                                                Contract, ContractOverride)]


def test_seeding_twice_creates_nothing_twice_and_keeps_the_version(demo):
    before = _counts()
    versions = dict(Calendar.objects.values_list("slug", "version"))
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
    assert dict(Calendar.objects.values_list("slug", "version")) == versions


def test_demo_calendars_match_the_specification(demo):
    calendars = {c.slug: c for c in Calendar.objects.all()}
    assert {slug: (c.time_zone, c.holiday_country, c.holiday_subdivision) for slug, c in calendars.items()} == {
        "de-nrw-standard": ("Europe/Berlin", "DE", "NW"),
        "us-east": ("America/New_York", "US", ""),
        "pos-extended": ("Europe/Berlin", "DE", "NW"),
    }
    assert list(calendars["de-nrw-standard"].closures.values_list("start_date", "end_date", "reason")) == [
        (date(2026, 12, 24), date(2027, 1, 1), "Betriebsferien")]
    for calendar in calendars.values():
        years = set(calendar.holidays.dates("date", "year").values_list("date__year", flat=True))
        assert years == set(range(2020, 2036))
    assert not calendars["pos-extended"].hours.filter(weekday=6).exists()


def test_demo_policies_and_contracts(demo):
    targets = {(t.policy.slug, t.severity): (t.reaction_target, t.resolution_target)
               for t in PolicyTarget.objects.select_related("policy")}
    assert targets == {
        ("standard-de", "severe"): ("6h", ""), ("standard-de", "minor"): ("1.5d", ""),
        ("us-desk", "severe"): ("6h", ""), ("us-desk", "minor"): ("1.5d", ""),
        ("pos", "severe"): ("6h", "3d"), ("pos", "minor"): ("1.5d", "10d"),
    }
    contracts = {c.organisation.customer_number: c for c in Contract.objects.select_related("organisation", "policy")}
    assert {number: c.policy.slug for number, c in contracts.items()} == {
        "10001": "standard-de", "20001": "us-desk", "30001": "standard-de", "40101": "standard-de"}
    assert contracts["10001"].daily_rate == Decimal("960.00")
    assert contracts["10001"].hours_per_day == Decimal("8")
    assert list(ContractOverride.objects.values_list("contract__organisation__customer_number", "category",
                                                     "policy__slug")) == [("30001", "fault", "pos")]
