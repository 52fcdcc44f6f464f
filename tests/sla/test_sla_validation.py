"""Bad configuration is refused with a clear message on the field it concerns."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from sla import services
from sla.forms import MinuteOfDayField, OpeningHoursForm, PolicyTargetForm
from sla.hours import hours_normalise
from sla.models import Calendar, Closure, Contract, OpeningHours, Policy
from sla.targets import target_normalise
from tests.factories import OrganisationFactory
from tests.sla.factories import contract, nrw_calendar, policy


def _messages(exc_info, field=None):
    error = exc_info.value
    if field is None:
        return " ".join(error.messages)
    return " ".join(error.message_dict[field])


# --- time zone and holiday region --------------------------------------------------------------

@pytest.mark.django_db
def test_unknown_time_zone_is_refused_with_an_example():
    calendar = Calendar(slug="mars", name="Mars-Basis Süd", time_zone="Europe/Bärlin")
    with pytest.raises(ValidationError) as exc:
        calendar.full_clean()
    assert _messages(exc, "time_zone") == (
        "“Europe/Bärlin” is not a known IANA time zone, e.g. Europe/Berlin or America/New_York."
    )


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "UTC"])
def test_known_time_zones_are_accepted(zone):
    Calendar(slug="ok", name="Düsseldorf", time_zone=zone).clean_fields(exclude=["slug"])


@pytest.mark.django_db
def test_unknown_holiday_subdivision_lists_the_known_ones():
    calendar = Calendar(slug="x", name="Köln", time_zone="Europe/Berlin", holiday_country="DE",
                        holiday_subdivision="XX")
    with pytest.raises(ValidationError) as exc:
        calendar.full_clean()
    message = _messages(exc, "holiday_subdivision")
    assert message.startswith("“XX” is not a subdivision of DE. Known: ")
    assert "NW" in message


@pytest.mark.django_db
def test_holiday_country_without_data_is_refused():
    calendar = Calendar(slug="x", name="Köln", time_zone="Europe/Berlin", holiday_country="QQ")
    with pytest.raises(ValidationError) as exc:
        calendar.full_clean()
    assert _messages(exc, "holiday_country") == "No public holiday data is available for “QQ”."


@pytest.mark.django_db
def test_holiday_years_must_not_be_reversed():
    calendar = Calendar(slug="x", name="Köln", time_zone="Europe/Berlin", holidays_from_year=2030,
                        holidays_until_year=2025)
    with pytest.raises(ValidationError) as exc:
        calendar.full_clean()
    assert _messages(exc, "holidays_until_year") == "The last year must not be before the first year."


# --- opening hours ------------------------------------------------------------------------------

@pytest.mark.parametrize(("hours", "message"), [
    ({0: [(540, 540)]}, "Monday: The range is empty: closing time equals opening time."),
    ({1: [(1020, 540)]}, "Tuesday: The closing time must be after the opening time."),
    ({2: [(540, 1441)]}, "Wednesday: Times must lie between 00:00 and 24:00."),
    ({3: [(540, 780), (720, 1020)]}, "Thursday: 09:00-13:00 and 12:00-17:00 overlap."),
])
def test_bad_hours_are_refused_naming_the_weekday(hours, message):
    with pytest.raises(ValidationError) as exc:
        hours_normalise(hours)
    assert exc.value.messages == [message]


def test_adjacent_ranges_and_a_close_at_midnight_are_accepted():
    assert hours_normalise({0: [(720, 1440), (0, 720)]})[0] == [(0, 720), (720, 1440)]


@pytest.mark.parametrize(("text", "minute"), [("09:00", 540), ("9:30", 570), ("24:00", 1440), ("00:00", 0)])
def test_times_are_read_as_minutes_of_the_day(text, minute):
    assert MinuteOfDayField().clean(text) == minute


@pytest.mark.parametrize(("text", "message"), [
    ("24:30", "Enter a time between 00:00 and 24:00."),
    ("25:00", "Enter a time between 00:00 and 24:00."),
    ("09:60", "Enter a time between 00:00 and 24:00."),
    ("9 Uhr", "Enter a time as HH:MM, e.g. 09:00 or 24:00."),
])
def test_impossible_times_are_refused(text, message):
    with pytest.raises(ValidationError) as exc:
        MinuteOfDayField().clean(text)
    assert exc.value.messages == [message]


@pytest.mark.django_db
def test_hours_form_reports_a_reversed_range_on_the_closing_time():
    calendar = Calendar.objects.create(slug="k", name="Köln", time_zone="Europe/Berlin")
    form = OpeningHoursForm(data={"weekday": 0, "open_minute": "17:00", "close_minute": "09:00"},
                            instance=OpeningHours(calendar=calendar))
    assert not form.is_valid()
    assert form.errors["close_minute"] == ["The closing time must be after the opening time."]


@pytest.mark.django_db
def test_hours_form_shows_stored_minutes_as_clock_times():
    form = OpeningHoursForm(instance=OpeningHours(weekday=4, open_minute=540, close_minute=1440))
    assert 'value="09:00"' in str(form["open_minute"])
    assert 'value="24:00"' in str(form["close_minute"])


# --- targets ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "canonical"), [("6h", "6h"), ("90m", "90m"), ("1.5d", "1.5d"),
                                                   ("360m", "6h"), ("3600s", "1h"), (" 10d ", "10d")])
def test_targets_are_stored_in_the_engines_notation(text, canonical):
    assert target_normalise(text) == canonical


@pytest.mark.parametrize(("text", "message"), [
    ("0h", "The target must be greater than zero (“0h”)."),
    ("-2h", "The target must be greater than zero (“-2h”)."),
    ("0d", "The target must be greater than zero (“0d”)."),
    ("0.5s", "“0.5s” is not a whole number of seconds. Use e.g. 90m instead of 1.5h."),
    ("6 Stunden", "“6 Stunden” is not a valid target. Use a positive number followed by s, m, h or d, "
                  "e.g. 6h, 90m or 1.5d."),
    ("6", "“6” is not a valid target. Use a positive number followed by s, m, h or d, e.g. 6h, 90m or 1.5d."),
    ("", "Enter a target such as 6h, 90m or 1.5d."),
])
def test_bad_targets_are_refused_with_a_reason(text, message):
    with pytest.raises(ValidationError) as exc:
        target_normalise(text)
    assert exc.value.messages == [message]


def test_target_form_cleans_to_canonical_text_and_reports_errors_per_field():
    form = PolicyTargetForm(data={"severity": "severe", "reaction_target": "360m", "resolution_target": "0d"})
    assert not form.is_valid()
    assert form.errors["resolution_target"] == ["The target must be greater than zero (“0d”)."]
    assert form.cleaned_data["reaction_target"] == "6h"


@pytest.mark.django_db
def test_policy_target_service_refuses_a_malformed_reaction_target():
    the_policy = policy(nrw_calendar())
    with pytest.raises(ValidationError) as exc:
        services.policy_target_set(policy=the_policy, severity="severe", reaction_target="sechs Stunden")
    assert "“sechs Stunden” is not a valid target" in _messages(exc, "reaction_target")


@pytest.mark.django_db
def test_one_target_row_per_severity():
    the_policy = policy(nrw_calendar())
    services.policy_target_set(policy=the_policy, severity="severe", reaction_target="4h", resolution_target="2d")
    assert list(the_policy.targets.values_list("severity", "reaction_target", "resolution_target")) == [
        ("minor", "1.5d", ""), ("severe", "4h", "2d"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("percent", [0, 100])
def test_warning_threshold_lies_between_1_and_99(percent):
    the_policy = Policy(name="Prüfung", slug="p", calendar=nrw_calendar(), warning_threshold_percent=percent)
    with pytest.raises(ValidationError) as exc:
        the_policy.full_clean()
    assert "warning_threshold_percent" in exc.value.message_dict


@pytest.mark.django_db
def test_pause_statuses_must_be_open_statuses():
    the_policy = Policy(name="Prüfung", slug="p", calendar=nrw_calendar(), pause_statuses=["resolved"])
    with pytest.raises(ValidationError) as exc:
        the_policy.full_clean()
    assert _messages(exc, "pause_statuses") == "Resolved and closed tickets have no running clock to pause."


@pytest.mark.django_db
def test_policy_pauses_on_waiting_for_the_customer_by_default():
    assert policy(nrw_calendar()).pause_statuses == ["waiting"]


# --- closures and contracts -----------------------------------------------------------------------

@pytest.mark.django_db
def test_closure_must_not_end_before_it_starts():
    with pytest.raises(ValidationError) as exc:
        services.closure_add(calendar=nrw_calendar(), start_date=date(2026, 12, 31), end_date=date(2026, 12, 24),
                             reason="Betriebsferien")
    assert _messages(exc, "end_date") == "The last day must not be before the first day."
    assert not Closure.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("valid_from", "valid_until"), [
    (date(2026, 6, 30), None),  # starts on the last day of the first contract
    (date(2025, 1, 1), date(2026, 1, 1)),  # ends on its first day
    (date(2026, 3, 1), date(2026, 3, 31)),  # inside it
])
def test_contracts_of_one_organisation_must_not_overlap(valid_from, valid_until):
    organisation = OrganisationFactory()
    the_policy = policy(nrw_calendar())
    contract(organisation, the_policy, valid_from=date(2026, 1, 1), valid_until=date(2026, 6, 30))
    with pytest.raises(ValidationError) as exc:
        contract(organisation, the_policy, valid_from=valid_from, valid_until=valid_until)
    assert _messages(exc, "valid_from") == (
        f"This period overlaps the organisation's contract “{the_policy.name}” valid from 2026-01-01 until 2026-06-30."
    )


@pytest.mark.django_db
def test_an_open_ended_contract_blocks_any_later_start():
    organisation = OrganisationFactory()
    the_policy = policy(nrw_calendar())
    contract(organisation, the_policy, valid_from=date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        contract(organisation, the_policy, valid_from=date(2031, 1, 1))
    assert "valid from 2026-01-01 until open end." in _messages(exc, "valid_from")


@pytest.mark.django_db
def test_consecutive_contracts_and_other_organisations_do_not_overlap():
    organisation = OrganisationFactory()
    the_policy = policy(nrw_calendar())
    contract(organisation, the_policy, valid_from=date(2026, 1, 1), valid_until=date(2026, 6, 30))
    contract(organisation, the_policy, valid_from=date(2026, 7, 1))
    contract(OrganisationFactory(), the_policy, valid_from=date(2026, 1, 1))
    assert Contract.objects.count() == 3


@pytest.mark.django_db
def test_contract_cannot_end_before_it_starts():
    with pytest.raises(ValidationError) as exc:
        contract(OrganisationFactory(), policy(nrw_calendar()), valid_from=date(2026, 5, 1),
                 valid_until=date(2026, 4, 30))
    assert _messages(exc, "valid_until") == "The contract cannot end before it starts."


@pytest.mark.django_db
def test_validation_messages_are_translated_to_german(settings):
    from django.utils import translation

    with translation.override("de"), pytest.raises(ValidationError) as exc:
        target_normalise("0h")
    assert exc.value.messages == ["Das Ziel muss größer als null sein („0h“)."]
