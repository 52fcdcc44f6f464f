"""The command-line tools on the demo calendars: every worked example of SEMANTICS.md §6, the
batch mode, elapsed time, and a one-line error with a non-zero exit for every bad input."""

import io

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from sla import services
from sla.calendars import business_calendar_cache_clear, business_calendar_cache_stats
from sla.models import Calendar

pytestmark = pytest.mark.django_db

# SEMANTICS.md §6, examples 1-11: calendar, start, target, deadline
WORKED_EXAMPLES = [
    ("de-nrw-standard", "2026-12-23T15:30+01:00", "6h", "2027-01-04T13:30:00+01:00"),
    ("de-nrw-standard", "2026-12-23T15:30+01:00", "1.5d", "2027-01-05T11:30:00+01:00"),
    ("de-nrw-standard", "2026-02-12T13:00+01:00", "1.5d", "2026-02-13T16:00:00+01:00"),
    ("de-nrw-standard", "2026-02-13T12:00+01:00", "1.5d", "2026-02-16T16:25:43+01:00"),
    ("de-nrw-standard", "2026-12-22T13:00+01:00", "1.5d", "2026-12-23T17:00:00+01:00"),
    ("de-nrw-standard", "2027-03-25T14:00+01:00", "6h", "2027-03-30T12:00:00+02:00"),
    ("de-nrw-standard", "2026-10-23T15:00+02:00", "6h", "2026-10-26T14:00:00+01:00"),
    ("us-east", "2026-03-09T15:00+01:00", "6h", "2026-03-09T16:00:00-04:00"),
    ("us-east", "2027-12-30T14:00-05:00", "6h", "2028-01-03T12:00:00-05:00"),
    ("pos-extended", "2026-02-13T17:00+01:00", "1.5d", "2026-02-16T11:30:00+01:00"),
    ("de-nrw-standard", "2028-02-28T14:00+01:00", "6h", "2028-02-29T12:00:00+01:00"),
]


def run(*args, stdin=None):
    out = io.StringIO()
    call_command(*args, stdout=out, **({"stdin": stdin} if stdin is not None else {}))
    return out.getvalue()


@pytest.fixture
def calendars(demo):
    business_calendar_cache_clear()
    return {c.slug: c for c in Calendar.objects.all()}


@pytest.mark.parametrize(("slug", "start", "target", "expected"), WORKED_EXAMPLES,
                         ids=[f"example-{n}" for n in range(1, 12)])
def test_worked_example_prints_only_the_deadline(calendars, slug, start, target, expected):
    assert run("sla_deadline", "--calendar", slug, "--start", start, "--target", target) == f"{expected}\n"


def test_batch_answers_every_line_in_order_with_errors_in_place(calendars):
    lines = [" ".join(example[:3]) for example in WORKED_EXAMPLES]
    lines[3:3] = [
        "gibt-es-nicht 2026-12-23T15:30+01:00 6h",
        "de-nrw-standard 2026-12-23T15:30 6h",
        "de-nrw-standard 2026-12-23T15:30:00.5+01:00 6h",
        "de-nrw-standard 2040-01-02T10:00+01:00 6h",
        "de-nrw-standard 2026-12-23T15:30+01:00 0h",
        "de-nrw-standard 2026-12-23T15:30+01:00 6 Stunden",
        "",
    ]
    output = run("sla_deadline", "--batch", stdin=io.StringIO("\n".join(lines) + "\n")).splitlines()
    expected = [example[3] for example in WORKED_EXAMPLES]
    expected[3:3] = [
        "error: unknown calendar 'gibt-es-nicht'",
        "error: start: instant '2026-12-23T15:30' has no UTC offset; add one, e.g. +01:00 or Z",
        "error: start: instant '2026-12-23T15:30:00.5+01:00' has fractional seconds; the resolution is one second",
        "error: no holiday data for 2040 in calendar de-nrw-standard",
        "error: The target must be greater than zero (“0h”).",
        "error: expected 'SLUG START TARGET', got 'de-nrw-standard 2026-12-23T15:30+01:00 6 Stunden'",
        "error: expected 'SLUG START TARGET', got ''",
    ]
    assert output == expected


def test_batch_reads_each_calendar_once_for_thousands_of_lines(calendars, django_assert_max_num_queries):
    lines = "".join(f"{' '.join(WORKED_EXAMPLES[n % 11][:3])}\n" for n in range(3000))
    with django_assert_max_num_queries(3 * 4):  # per calendar: the row, hours, holidays, closures
        output = run("sla_deadline", "--batch", stdin=io.StringIO(lines)).splitlines()
    assert len(output) == 3000
    assert output[:11] == [example[3] for example in WORKED_EXAMPLES]
    assert business_calendar_cache_stats()["builds"] == 3


@pytest.mark.parametrize(("start", "end", "minutes"), [
    ("2026-12-23T15:30+01:00", "2027-01-04T13:30+01:00", "360"),  # example 1 backwards: 6h
    ("2026-02-13T12:00+01:00", "2026-02-16T16:25:43+01:00", "41143/60"),  # 4h + 7h25m43s = 41 143 s
    ("2026-02-13T12:00+01:00", "2026-02-13T12:00:30+01:00", "1/2"),
    ("2026-02-14T12:00+01:00", "2026-02-15T12:00+01:00", "0"),  # a weekend
])
def test_elapsed_prints_exact_business_minutes(calendars, start, end, minutes):
    assert run("sla_elapsed", "--calendar", "de-nrw-standard", "--start", start, "--end", end) == f"{minutes}\n"


@pytest.mark.parametrize(("args", "message"), [
    (["sla_deadline", "--calendar", "gibt-es-nicht", "--start", "2027-01-04T09:00+01:00", "--target", "6h"],
     "unknown calendar 'gibt-es-nicht'"),
    (["sla_deadline", "--calendar", "de-nrw-standard", "--start", "2027-01-04T09:00", "--target", "6h"],
     "start: instant '2027-01-04T09:00' has no UTC offset; add one, e.g. +01:00 or Z"),
    (["sla_deadline", "--calendar", "de-nrw-standard", "--start", "2027-01-04T09:00+01:00", "--target", "0h"],
     "The target must be greater than zero (“0h”)."),
    (["sla_deadline", "--calendar", "de-nrw-standard", "--start", "2027-01-04T09:00+01:00", "--target=-1d"],
     "The target must be greater than zero (“-1d”)."),
    (["sla_deadline", "--calendar", "de-nrw-standard", "--start", "2027-01-04T09:00+01:00", "--target", "6x"],
     "“6x” is not a valid target. Use a positive number followed by s, m, h or d, e.g. 6h, 90m or 1.5d."),
    (["sla_deadline", "--calendar", "de-nrw-standard", "--start", "2036-01-07T09:00+01:00", "--target", "6h"],
     "no holiday data for 2036 in calendar de-nrw-standard"),
    (["sla_deadline", "--calendar", "de-nrw-standard", "--start", "2035-12-31T15:00+01:00", "--target", "6h"],
     "no holiday data for 2036 in calendar de-nrw-standard"),
    (["sla_deadline", "--calendar", "de-nrw-standard"], "missing --start, --target (or use --batch)"),
    (["sla_deadline", "--batch", "--calendar", "de-nrw-standard"],
     "--batch reads every input from stdin; do not combine it with other options"),
    (["sla_elapsed", "--calendar", "us-east", "--start", "2027-01-05T10:00-05:00", "--end", "2027-01-04T10:00-05:00"],
     "end 2027-01-04T10:00:00-05:00 is before start 2027-01-05T10:00:00-05:00"),
    (["sla_elapsed", "--calendar", "us-east", "--start", "2027-01-04T10:00Z", "--end", "morgen"],
     "end: cannot read instant 'morgen': expected ISO-8601 such as 2027-01-04T13:30:00+01:00"),
    (["sla_elapsed", "--calendar", "weg", "--start", "2027-01-04T10:00Z", "--end", "2027-01-04T11:00Z"],
     "unknown calendar 'weg'"),
])
def test_bad_input_exits_non_zero_with_one_line_on_stderr(calendars, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", *args]).execute()
    assert exit_info.value.code != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"CommandError: {message}\n"


def test_calendar_without_hours_is_a_command_error(calendars):
    services.calendar_create(slug="leer", name="Ohne Öffnungszeiten", time_zone="Europe/Berlin")
    with pytest.raises(CommandError) as exc:
        run("sla_deadline", "--calendar", "leer", "--start", "2027-01-04T09:00+01:00", "--target", "6h")
    assert str(exc.value) == "calendar 'leer': no support hours on any weekday"


def test_help_says_how_minutes_are_written(calendars):
    from sla.management.commands.sla_elapsed import Command

    assert "an integer when whole (e.g. 90), otherwise a reduced fraction" in Command.help
