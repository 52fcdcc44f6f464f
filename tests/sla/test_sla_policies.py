"""Which policy applies to a ticket, and the computations the tickets app calls."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sla import engine, services
from sla.selectors import policy_for, policy_target_for
from tests.factories import OrganisationFactory
from tests.sla.factories import contract, nrw_calendar, policy

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def setup():
    calendar = nrw_calendar()
    pos_calendar = services.calendar_create(
        slug="kasse", name="Kassen-Hotline Köln", time_zone="Europe/Berlin", holiday_country="DE",
        holiday_subdivision="NW", holidays_from_year=2026, holidays_until_year=2028,
        hours={d: [(540, 1200)] for d in range(6)},
    )
    standard = policy(calendar, slug="standard")
    newer = policy(calendar, slug="standard-2027", reaction=("4h", "1d"))
    pos = policy(pos_calendar, slug="pos", resolution=("3d", "10d"))
    organisation = OrganisationFactory(name="Frischmarkt Köln-Süd")
    first = contract(organisation, standard, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    services.contract_override_set(contract=first, category="fault", policy=pos)
    contract(organisation, newer, valid_from=date(2027, 1, 1))
    return {"organisation": organisation, "standard": standard, "newer": newer, "pos": pos, "first": first}


@pytest.mark.parametrize(("at", "category", "expected"), [
    (datetime(2026, 6, 1, 10, tzinfo=BERLIN), "question", "standard"),
    (datetime(2026, 6, 1, 10, tzinfo=BERLIN), "fault", "pos"),
    (datetime(2026, 12, 31, 23, 59, tzinfo=BERLIN), "question", "standard"),  # last day is inclusive
    (datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")), "question", "standard-2027"),  # 00:30 in Berlin
    (datetime(2027, 1, 1, 0, 0, tzinfo=BERLIN), "fault", "standard-2027"),  # the override was the old contract's
    (datetime(2030, 5, 5, 12, tzinfo=BERLIN), "data_loss", "standard-2027"),  # open end
])
def test_policy_for_follows_validity_dates_and_category_overrides(setup, at, category, expected):
    assert policy_for(organisation=setup["organisation"], category=category, at=at).slug == expected


def test_no_policy_before_the_first_contract_or_without_contract(setup):
    assert policy_for(organisation=setup["organisation"], category="fault",
                      at=datetime(2025, 12, 31, 12, tzinfo=BERLIN)) is None
    assert policy_for(organisation=OrganisationFactory(), category="fault",
                      at=datetime(2026, 6, 1, tzinfo=BERLIN)) is None


def test_removing_an_override_falls_back_to_the_contract_policy(setup):
    services.contract_override_set(contract=setup["first"], category="fault", policy=None)
    assert policy_for(organisation=setup["organisation"], category="fault",
                      at=datetime(2026, 6, 1, tzinfo=BERLIN)).slug == "standard"


def test_ticket_targets_for_returns_the_policy_and_engine_targets(setup):
    targets = services.ticket_targets_for(organisation=setup["organisation"], category="fault", severity="minor",
                                          at=datetime(2026, 6, 1, tzinfo=BERLIN))
    policy_, reaction, resolution, next_reply = targets
    assert next_reply is None
    assert policy_ == setup["pos"]
    assert (str(reaction), str(resolution)) == ("1.5d", "10d")
    assert isinstance(reaction, engine.Target)


def test_ticket_targets_without_resolution_target_give_none(setup):
    targets = services.ticket_targets_for(organisation=setup["organisation"], category="question",
                                          severity="severe", at=datetime(2026, 6, 1, tzinfo=BERLIN))
    assert (str(targets.reaction_target), targets.resolution_target) == ("6h", None)


def test_no_targets_without_severity_or_contract(setup):
    at = datetime(2026, 6, 1, tzinfo=BERLIN)
    assert services.ticket_targets_for(organisation=setup["organisation"], category="question", severity="",
                                       at=at) is None
    assert services.ticket_targets_for(organisation=OrganisationFactory(), category="fault", severity="severe",
                                       at=at) is None


def test_reaction_deadline_preview_uses_the_overriding_policys_calendar(setup):
    reported = datetime(2026, 2, 13, 17, 0, 0, 123456, tzinfo=BERLIN)  # Friday; the fraction is dropped
    due = services.reaction_deadline_preview(organisation=setup["organisation"], category="fault",
                                             severity="minor", reported_at=reported)
    assert due == datetime(2026, 2, 16, 11, 30, tzinfo=BERLIN)  # SEMANTICS.md example 10 on the POS hours
    due = services.reaction_deadline_preview(organisation=setup["organisation"], category="question",
                                             severity="minor", reported_at=reported)
    assert due == datetime(2026, 2, 17, 13, 0, tzinfo=BERLIN)  # Friday closed at 16:00: Mon 1.0 + half of Tue


def test_reaction_deadline_preview_without_contract_is_none():
    reported = datetime(2026, 2, 13, tzinfo=BERLIN)
    assert services.reaction_deadline_preview(organisation=OrganisationFactory(), category="fault",
                                              severity="severe", reported_at=reported) is None


def test_deadline_for_accepts_target_text_or_objects():
    calendar = nrw_calendar()
    start = datetime(2027, 3, 25, 14, tzinfo=BERLIN)
    expected = datetime(2027, 3, 30, 12, tzinfo=ZoneInfo("Europe/Berlin"))
    assert services.deadline_for(calendar=calendar, start=start, target="6h") == expected
    assert services.deadline_for(calendar=calendar, start=start, target=engine.parse_target("360m")) == expected


def test_deadline_for_refuses_a_naive_start():
    with pytest.raises(engine.InstantError):
        services.deadline_for(calendar=nrw_calendar(), start=datetime(2027, 3, 25, 14), target="6h")


def test_deadline_for_outside_the_holiday_years_is_out_of_range():
    with pytest.raises(engine.OutOfRangeError):
        services.deadline_for(calendar=nrw_calendar(), start=datetime(2029, 3, 1, 9, tzinfo=BERLIN), target="1h")


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2027, 3, 1, 10, 0, 0, 500000, tzinfo=BERLIN), (True, None)),
    (datetime(2027, 3, 5, 16, 0, tzinfo=BERLIN), (False, datetime(2027, 3, 8, 9, tzinfo=BERLIN))),  # Friday close
    (datetime(2027, 5, 27, 8, 0, tzinfo=BERLIN), (False, datetime(2027, 5, 28, 9, tzinfo=BERLIN))),  # Fronleichnam
])
def test_support_status_tells_whether_open_and_when_it_opens(now, expected):
    assert services.support_status(calendar=nrw_calendar(), now=now) == expected


# --- the rows of the one statement (sla.selectors._policy_statement) as model instances ----------
# (the rule itself is checked over generated data in test_sla_policy_statement.py)


def test_one_statement_lookup_gives_complete_converted_instances(setup):
    pos = setup["pos"]
    pos.pause_statuses = ["waiting", "workaround"]
    pos.post_breach_after = "2h"
    pos.save()
    policy_, _, _, _ = policy_target_for(organisation=setup["organisation"], category="fault", severity="severe",
                                      on=date(2026, 6, 1))
    stored = type(pos).objects.select_related("calendar").get(pk=pos.pk)
    for field in type(pos)._meta.concrete_fields:
        assert getattr(policy_, field.attname) == getattr(stored, field.attname), field.name
    for field in type(stored.calendar)._meta.concrete_fields:
        assert getattr(policy_.calendar, field.attname) == getattr(stored.calendar, field.attname), field.name
    assert isinstance(policy_.pause_statuses, list)  # JSON decoded, as a queryset decodes it
    assert policy_.calendar.updated_at.tzinfo is not None  # a datetime, also on SQLite
    assert not policy_._state.adding


def test_one_statement_lookup_without_a_target_for_the_severity(setup):
    setup["pos"].targets.filter(severity="minor").delete()
    assert policy_target_for(organisation=setup["organisation"], category="fault", severity="minor",
                             on=date(2026, 6, 1)) is None
