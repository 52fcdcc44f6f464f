"""Public holidays come from the `holidays` package, in German and English, and a re-sync
changes nothing that was decided by hand."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from sla import services
from sla.models import Holiday
from tests.sla.factories import nrw_calendar

pytestmark = pytest.mark.django_db


def _names(calendar, year):
    return {h.date: (h.name_de, h.name_en) for h in calendar.holidays.filter(date__year=year)}


def test_creating_a_calendar_syncs_its_public_holidays():
    calendar = nrw_calendar(years=(2026, 2026))
    assert _names(calendar, 2026) == {
        date(2026, 1, 1): ("Neujahr", "New Year's Day"),
        date(2026, 4, 3): ("Karfreitag", "Good Friday"),
        date(2026, 4, 6): ("Ostermontag", "Easter Monday"),
        date(2026, 5, 1): ("Erster Mai", "Labor Day"),
        date(2026, 5, 14): ("Christi Himmelfahrt", "Ascension Day"),
        date(2026, 5, 25): ("Pfingstmontag", "Pentecost Monday"),
        date(2026, 6, 4): ("Fronleichnam", "Corpus Christi"),
        date(2026, 10, 3): ("Tag der Deutschen Einheit", "German Unity Day"),
        date(2026, 11, 1): ("Allerheiligen", "All Saints' Day"),
        date(2026, 12, 25): ("Erster Weihnachtstag", "Christmas Day"),
        date(2026, 12, 26): ("Zweiter Weihnachtstag", "Second Day of Christmas"),
    }
    assert set(calendar.holidays.values_list("source", flat=True)) == {Holiday.Source.GENERATED}


def test_nrw_has_corpus_christi_but_not_reformation_day_nor_the_other_regional_days():
    calendar = nrw_calendar(years=(2026, 2028))
    names_de = set(calendar.holidays.values_list("name_de", flat=True))
    assert "Fronleichnam" in names_de
    assert not names_de & {"Reformationstag", "Heilige Drei Könige", "Mariä Himmelfahrt", "Rosenmontag"}
    assert not calendar.holidays.filter(date__in=[date(2027, 10, 31), date(2027, 12, 24), date(2027, 12, 31)]).exists()


def test_us_federal_holidays_include_observed_dates():
    calendar = services.calendar_create(
        slug="new-york", name="Support New York", time_zone="America/New_York", holiday_country="US",
        holidays_from_year=2027, holidays_until_year=2028, hours={0: [(540, 1020)]},
    )
    observed = calendar.holidays.get(date=date(2027, 12, 31))
    assert observed.name_en == "New Year's Day (observed)"
    # The package has no German US names: ours (locale/de) are used.
    assert observed.name_de == "Neujahr (Ersatztag)"
    assert calendar.holidays.get(date=date(2027, 7, 4)).name_de == "Unabhängigkeitstag"
    assert calendar.holidays.filter(date=date(2027, 7, 5)).exists()  # Independence Day observed
    assert not calendar.holidays.filter(date=date(2027, 3, 26)).exists()  # Good Friday is not federal


def test_holidays_without_german_names_in_the_package_get_ours_or_the_english_one():
    from sla.holiday_source import german_name, public_holidays

    assert german_name("Thanksgiving Day") == "Thanksgiving (Erntedankfest)"
    assert german_name("Some Local Holiday") is None
    french = public_holidays(country="FR", subdivision="", years=range(2027, 2028))
    assert french[date(2027, 7, 14)] == ("National Day", "National Day")  # no German, not one of ours
    austrian = public_holidays(country="AT", subdivision="", years=range(2027, 2028))
    assert austrian[date(2027, 10, 26)] == ("Nationalfeiertag", "National Day")  # the package's German


def test_sync_is_idempotent():
    calendar = nrw_calendar()
    version = calendar.version
    before = list(calendar.holidays.values_list("date", "name_de", "name_en", "is_active", "source"))
    result = services.calendar_holidays_sync(calendar=calendar)
    assert (result.created, result.updated, result.removed) == (0, 0, 0)
    assert list(calendar.holidays.values_list("date", "name_de", "name_en", "is_active", "source")) == before
    calendar.refresh_from_db()
    assert calendar.version == version  # a no-op writes nothing


def test_a_removed_public_holiday_stays_removed_after_a_resync():
    calendar = nrw_calendar()
    corpus_christi = calendar.holidays.get(date=date(2027, 5, 27))
    services.holiday_remove(holiday=corpus_christi)
    call_command("sync_holidays", calendar=calendar.slug, stdout=open("/dev/null", "w"))  # noqa: SIM115
    corpus_christi.refresh_from_db()
    assert corpus_christi.is_active is False


def test_a_removed_manual_holiday_is_deleted():
    calendar = nrw_calendar()
    row = services.holiday_add(calendar=calendar, day=date(2027, 2, 8), name_de="Rosenmontag",
                               name_en="Carnival Monday")
    services.holiday_remove(holiday=row)
    assert not calendar.holidays.filter(date=date(2027, 2, 8)).exists()


def test_manual_holidays_survive_a_resync_untouched():
    calendar = nrw_calendar()
    services.holiday_add(calendar=calendar, day=date(2027, 2, 8), name_de="Rosenmontag")
    services.calendar_holidays_sync(calendar=calendar)
    row = calendar.holidays.get(date=date(2027, 2, 8))
    assert (row.name_de, row.name_en, row.source, row.is_active) == ("Rosenmontag", "Rosenmontag", "manual", True)


def test_adding_an_existing_holiday_again_is_refused():
    calendar = nrw_calendar()
    with pytest.raises(Exception) as exc:
        services.holiday_add(calendar=calendar, day=date(2027, 1, 1), name_de="Neujahr")
    assert exc.value.message_dict["date"] == ["2027-01-01 is already a holiday (New Year's Day)."]


def test_adding_a_removed_public_holiday_reactivates_it():
    calendar = nrw_calendar()
    services.holiday_remove(holiday=calendar.holidays.get(date=date(2027, 1, 1)))
    services.holiday_add(calendar=calendar, day=date(2027, 1, 1), name_de="Neujahr")
    assert calendar.holidays.get(date=date(2027, 1, 1)).is_active


def test_changing_the_region_replaces_the_generated_holidays():
    calendar = nrw_calendar()
    services.calendar_update(calendar=calendar, data={"holiday_subdivision": "BY"})
    assert calendar.holidays.filter(name_de="Heilige Drei Könige").exists()
    services.calendar_update(calendar=calendar, data={"holiday_country": "", "holiday_subdivision": ""})
    assert not calendar.holidays.exists()


def test_command_syncs_only_the_years_asked_for():
    calendar = nrw_calendar(years=(2026, 2028))
    calendar.holidays.filter(date__year__in=[2026, 2027]).delete()
    call_command("sync_holidays", calendar=calendar.slug, years="2027", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not calendar.holidays.filter(date__year=2026).exists()
    assert calendar.holidays.filter(date__year=2027).count() == 11


def test_command_reports_what_it_did(capsys):
    calendar = nrw_calendar(years=(2026, 2026))
    calendar.holidays.filter(date=date(2026, 1, 1)).delete()
    call_command("sync_holidays", calendar=calendar.slug)
    assert capsys.readouterr().out == f"{calendar.slug}: 1 created, 0 renamed, 0 removed\n"


@pytest.mark.parametrize(("options", "message"), [
    ({"calendar": "gibt-es-nicht"}, "unknown calendar 'gibt-es-nicht'"),
    ({"years": "2030-2026"}, "--years 2030-2026: the last year is before the first"),
    ({"years": "zwanzig"}, "--years must be YEAR or FIRST-LAST, e.g. 2026-2030, not 'zwanzig'"),
    ({"years": "2040"}, "Holidays can only be synced for the years 2026 to 2028, the calendar's holiday years."),
])
def test_command_refuses_bad_input(options, message):
    calendar = nrw_calendar()
    with pytest.raises(CommandError) as exc:
        call_command("sync_holidays", **options)
    assert message in str(exc.value)
    assert calendar.holidays.count() == 33
