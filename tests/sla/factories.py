"""Calendars, policies and contracts for the SLA tests: built through the services, or as plain
rows with factory_boy for generated data."""

from datetime import date

import factory

from sla import services
from sla.calendars import business_calendar_cache_clear
from tests.factories import OrganisationFactory

NRW_WEEK = {0: [(540, 1020)], 1: [(540, 1020)], 2: [(540, 1020)], 3: [(540, 1020)], 4: [(540, 960)]}


def nrw_calendar(slug="köln-test", years=(2026, 2028), **fields):
    """A de-nrw-standard-like calendar with NRW holidays for a few years (fast to sync)."""
    business_calendar_cache_clear()
    values = {
        "slug": slug.replace("ö", "oe"),
        "name": "Support Köln & Düsseldorf",
        "time_zone": "Europe/Berlin",
        "holiday_country": "DE",
        "holiday_subdivision": "NW",
        "holidays_from_year": years[0],
        "holidays_until_year": years[1],
        "hours": NRW_WEEK,
        **fields,
    }
    return services.calendar_create(**values)


def policy(calendar, slug="standard-koeln", reaction=("6h", "1.5d"), resolution=("", "")):
    return services.policy_create(
        name=f"Standard {slug} Größe",
        slug=slug,
        calendar=calendar,
        targets={"severe": (reaction[0], resolution[0]), "minor": (reaction[1], resolution[1])},
    )


def contract(organisation, policy, valid_from=date(2026, 1, 1), valid_until=None, **fields):
    return services.contract_create(
        organisation=organisation, policy=policy, valid_from=valid_from, valid_until=valid_until, **fields
    )


# --- plain rows for generated data (no services, no holiday sync): the policy lookup tests ----

class CalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sla.Calendar"

    slug = factory.Sequence(lambda n: f"schalter-{n}")
    name = factory.Sequence(lambda n: f"Schalter Köln {n}")
    time_zone = "Europe/Berlin"
    holiday_country = "DE"
    holiday_subdivision = "NW"


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sla.Policy"

    name = factory.Sequence(lambda n: f"Vertrag Größe {n}")
    slug = factory.Sequence(lambda n: f"vertrag-{n}")
    calendar = factory.SubFactory(CalendarFactory)


class PolicyTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sla.PolicyTarget"

    policy = factory.SubFactory(PolicyFactory)
    severity = "minor"
    reaction_target = "6h"
    resolution_target = ""


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sla.Contract"

    organisation = factory.SubFactory(OrganisationFactory)
    policy = factory.SubFactory(PolicyFactory)
    valid_from = date(2026, 1, 1)
    valid_until = None


class ContractOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sla.ContractOverride"

    contract = factory.SubFactory(ContractFactory)
    category = "fault"
    policy = factory.SubFactory(PolicyFactory)
