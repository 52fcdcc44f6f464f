"""The percentile method (linear interpolation, PostgreSQL's percentile_cont) and its two
implementations: the ordered-set aggregate on PostgreSQL, ORDER BY + OFFSET elsewhere."""

import statistics
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from reports.percentiles import PercentileCont, interpolate, percentile_by_offset, rank_of, whole_seconds
from tests.factories import OrganisationFactory
from tests.reports.dashboard_data import berlin, reacted
from tickets.models import Ticket


def reference_percentile(values, fraction):
    """The definition, spelled out on a sorted Python list (for the tests only)."""
    ordered = sorted(values)
    lower, proportion = rank_of(fraction, len(ordered))
    upper = ordered[lower + 1] if lower + 1 < len(ordered) else None
    return interpolate(ordered[lower], upper, proportion)


def test_rank_and_interpolation_follow_the_definition():
    assert rank_of(0.5, 10) == (4, 0.5)
    assert rank_of(0.5, 11) == (5, 0.0)
    lower, proportion = rank_of(0.9, 10)
    assert lower == 8 and proportion == pytest.approx(0.1)
    assert rank_of(1.0, 4) == (3, 0.0)
    assert interpolate(10, 20, 0.5) == 15.0
    assert interpolate(10, None, 0.0) == 10.0


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50))
def test_the_definition_is_the_inclusive_quantile_method(values):
    quantiles = statistics.quantiles(values, n=10, method="inclusive") if len(values) > 1 else [values[0]] * 9
    assert reference_percentile(values, 0.5) == pytest.approx(statistics.median(values))
    assert reference_percentile(values, 0.9) == pytest.approx(quantiles[8])


def test_whole_seconds_rounds_halves_away_from_zero():
    assert whole_seconds(2.5) == 3
    assert whole_seconds(3299.5) == 3300
    assert whole_seconds(11699.99999999999) == 11700
    assert whole_seconds(2.4999) == 2
    assert whole_seconds(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize("values", [[7], [5, 1], [3600, 600, 36000, 1200, 9000, 1800, 2400, 3000, 5400, 7200],
                                    [10, 10, 10, 20, 20, 1000, 1000]])
def test_the_database_gives_the_defined_percentiles(values):
    organisation = OrganisationFactory()
    for index, seconds in enumerate(values):
        reacted(organisation, reported_at=berlin(2026, 3, 3, 9, index), after=timedelta(seconds=seconds),
                due_after=timedelta(hours=6), business_seconds=seconds)
    tickets = Ticket.objects.filter(organisation=organisation)

    for fraction in (0.0, 0.25, 0.5, 0.9, 1.0):
        expected = reference_percentile(values, fraction)
        with CaptureQueriesContext(connection) as queries:
            by_offset = percentile_by_offset(
                tickets, field="reaction_business_seconds", fraction=fraction, count=len(values)
            )
        assert len(queries.captured_queries) == 1
        assert by_offset == pytest.approx(expected, abs=1e-9)
        if connection.vendor == "postgresql":
            aggregate = tickets.aggregate(p=PercentileCont("reaction_business_seconds", fraction=fraction))["p"]
            assert aggregate == pytest.approx(expected, abs=1e-9)
            assert whole_seconds(aggregate) == whole_seconds(by_offset)


@pytest.mark.django_db
def test_no_values_have_no_percentile():
    assert percentile_by_offset(Ticket.objects.all(), field="reaction_business_seconds", fraction=0.5, count=0) is None


def test_a_fraction_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        PercentileCont("reaction_business_seconds", fraction=1.5)


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor == 'postgresql'")
def test_percentile_cont_is_refused_where_the_database_lacks_it():
    with pytest.raises(NotImplementedError):
        Ticket.objects.aggregate(p=PercentileCont("reaction_business_seconds", fraction=0.5))
