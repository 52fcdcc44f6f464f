"""The dashboard's filter form: periods as local days, custom ranges checked with the error next
to the field, choices limited to what the manager may see."""

from datetime import date

import pytest
from django.urls import reverse

from reports.filters import DashboardFilterForm, Period, dashboard_filter_from, period_days
from tests.reports.dashboard_data import berlin

TODAY = date(2026, 3, 11)  # a Wednesday


@pytest.mark.parametrize(("period", "first", "last"), [
    (Period.LAST_30_DAYS, date(2026, 2, 10), date(2026, 3, 11)),
    (Period.THIS_WEEK, date(2026, 3, 9), date(2026, 3, 11)),
    (Period.LAST_WEEK, date(2026, 3, 2), date(2026, 3, 8)),
    (Period.THIS_MONTH, date(2026, 3, 1), date(2026, 3, 11)),
    (Period.LAST_MONTH, date(2026, 2, 1), date(2026, 2, 28)),
])
def test_preset_periods_are_whole_local_days(period, first, last):
    assert period_days(period, TODAY) == (first, last)


def test_last_month_in_january_is_december_of_the_year_before():
    assert period_days(Period.LAST_MONTH, date(2027, 1, 5)) == (date(2026, 12, 1), date(2026, 12, 31))


@pytest.mark.django_db
def test_no_query_string_means_the_last_30_days(demo):
    form, flt = dashboard_filter_from(user=demo["users"]["manager"], data={}, today=TODAY)
    assert form.is_bound and flt.period == Period.LAST_30_DAYS
    assert (flt.first_day, flt.last_day) == (date(2026, 2, 10), date(2026, 3, 11))
    # Berlin midnights, across the change to summer time on 29 March the offsets differ.
    assert flt.start == berlin(2026, 2, 10) and flt.end == berlin(2026, 3, 12)


@pytest.mark.django_db
def test_a_custom_range_gives_its_days(demo):
    data = {"period": "custom", "start": "2026-03-25", "end": "2026-04-02", "severity": "minor"}
    _form, flt = dashboard_filter_from(user=demo["users"]["manager"], data=data, today=TODAY)
    assert (flt.first_day, flt.last_day, flt.severity) == (date(2026, 3, 25), date(2026, 4, 2), "minor")
    assert flt.end.utcoffset().total_seconds() == 7200  # 3 April 00:00 is summer time


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "field", "message"), [
    ({"period": "custom", "end": "2026-03-01"}, "start", "Please enter the first day of the range."),
    ({"period": "custom", "start": "2026-03-01"}, "end", "Please enter the last day of the range."),
    ({"period": "custom", "start": "2026-03-05", "end": "2026-03-01"}, "end",
     "The last day cannot be before the first day."),
    ({"period": "custom", "start": "2025-01-01", "end": "2026-03-01"}, "end", "Please choose at most 366 days."),
    ({"period": "custom", "start": "gestern", "end": "2026-03-01"}, "start", "Enter a valid date."),
    ({"period": "quarter"}, "period", "Select a valid choice. quarter is not one of the available choices."),
    ({"severity": "critical"}, "severity",
     "Select a valid choice. critical is not one of the available choices."),
])
def test_bad_filters_are_reported_next_to_the_field(demo, data, field, message):
    form, flt = dashboard_filter_from(user=demo["users"]["manager"], data=data, today=TODAY)
    assert flt is None
    assert form.errors[field] == [message]
    assert "is-invalid" in form.fields[field].widget.attrs["class"]


@pytest.mark.django_db
def test_the_organisation_choice_is_limited_to_what_the_manager_may_see(demo):
    form = DashboardFilterForm(user=demo["users"]["manager"], today=TODAY)
    names = [label for _value, label in form.fields["organisation"].choices][1:]
    assert names == ["Acme Tooling Inc.", "Frischmarkt Handels GmbH & Co. KG", "Müller Maschinenbau GmbH"]

    baeckerei = demo["organisations"]["40101"]  # supported by the reseller PartnerSoft
    _form, flt = dashboard_filter_from(
        user=demo["users"]["manager"], data={"organisation": str(baeckerei.pk)}, today=TODAY
    )
    assert flt is None


@pytest.mark.django_db
def test_a_failed_filter_keeps_what_was_typed_and_shows_the_error_in_german(client, demo):
    client.force_login(demo["users"]["manager"])  # a German user
    response = client.get(reverse("dashboard:index"), {"period": "custom", "start": "2026-03-05", "end": "2026-03-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Der letzte Tag kann nicht vor dem ersten Tag liegen." in page
    assert 'value="2026-03-05"' in page and 'value="2026-03-01"' in page
    assert '<option value="custom" selected>' in page
    assert 'data-testid="filter-invalid"' in page and "chart-weekly-data" not in page
