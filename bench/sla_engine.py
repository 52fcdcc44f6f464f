"""Benchmark of the SLA engine: deadlines per second, cold and warm, and businesstimedelta.

Run: ``.venv/bin/python bench/sla_engine.py [--cases N] [--repeat R]``

Mixed ``6h`` / ``1.5d`` targets from random starts (seeded) over 2026-2028 on the three real
calendars of SEMANTICS.md. The process is pinned to one CPU. "cold" starts from empty engine
caches (the open-time arrays are built as the cases need them); "warm" reuses them. The
comparison with the ``businesstimedelta`` package covers what it can express: duration
targets (``6h``), with its WorkDayRule / HolidayRule and pytz zones.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import businesstimedelta
import holidays
import pytz

from sla.engine import BusinessCalendar, deadline, format_instant, is_open, parse_target
from sla.engine import timeline as engine_timeline

YEARS = range(2020, 2036)
COVERED = (date(2020, 1, 1), date(2035, 12, 31))
FIRST = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
LAST = int(datetime(2029, 1, 1, tzinfo=UTC).timestamp())


# slug -> (zone, {weekday: (open, close)}, closed dates)
def definitions() -> dict[str, tuple[str, dict[int, tuple[int, int]], dict[date, str]]]:
    nrw = dict(holidays.country_holidays("DE", subdiv="NW", years=YEARS, categories=("public",), language="de"))
    us = dict(holidays.country_holidays("US", years=YEARS, observed=True, categories=("public",)))
    closure = {date(2026, 12, 24) + timedelta(days=n): "Betriebsferien" for n in range(9)}
    return {
        "de-nrw-standard": ("Europe/Berlin", dict.fromkeys(range(4), (9, 17)) | {4: (9, 16)}, closure | nrw),
        "us-east": ("America/New_York", dict.fromkeys(range(5), (9, 17)), us),
        "pos-extended": ("Europe/Berlin", dict.fromkeys(range(6), (9, 20)), nrw),
    }


def engine_calendars(defs) -> dict[str, BusinessCalendar]:
    return {
        slug: BusinessCalendar.from_hours(
            slug, zone, {d: [f"{a:02d}:00-{b:02d}:00"] for d, (a, b) in hours.items()}, closed=closed, covered=COVERED
        )
        for slug, (zone, hours, closed) in defs.items()
    }


def btd_rules(defs) -> dict[str, businesstimedelta.Rules]:
    rules = {}
    for slug, (zone, hours, closed) in defs.items():
        tz = pytz.timezone(zone)
        by_hours: dict[tuple[int, int], list[int]] = {}
        for weekday, span in hours.items():
            by_hours.setdefault(span, []).append(weekday)
        workdays = [
            businesstimedelta.WorkDayRule(start_time=clock(a), end_time=clock(b), working_days=days, tz=tz)
            for (a, b), days in by_hours.items()
        ]
        rules[slug] = businesstimedelta.Rules([*workdays, businesstimedelta.HolidayRule(frozenset(closed), tz=tz)])
    return rules


def make_cases(count: int, seed: int) -> list[tuple[str, datetime, str]]:
    rng = random.Random(seed)
    slugs = ["de-nrw-standard", "us-east", "pos-extended"]
    return [
        (rng.choice(slugs), datetime.fromtimestamp(rng.randrange(FIRST, LAST), UTC), rng.choice(["6h", "1.5d"]))
        for _ in range(count)
    ]


def clear_engine_caches() -> None:
    engine_timeline._timelines.clear()
    engine_timeline._zone_pieces_cache.clear()


def run_engine(calendars, cases) -> float:
    targets = {text: parse_target(text) for text in ("6h", "1.5d")}
    prepared = [(calendars[slug], start, targets[text]) for slug, start, text in cases]
    began = time.perf_counter()
    for calendar, start, target in prepared:
        deadline(calendar, start, target)
    return len(prepared) / (time.perf_counter() - began)


def compare(calendars, rules, durations):
    """(our rate, businesstimedelta's rate, closing-instant deadlines, disagreements) for 6h."""
    six_hours = parse_target("6h")
    delta = {slug: businesstimedelta.BusinessTimeDelta(rule, hours=6) for slug, rule in rules.items()}
    began = time.perf_counter()
    theirs = [start + delta[slug] for slug, start in durations]
    btd_rate = len(durations) / (time.perf_counter() - began)
    began = time.perf_counter()
    ours = [deadline(calendars[slug], start, six_hours) for slug, start in durations]
    ours_rate = len(durations) / (time.perf_counter() - began)
    closings = sum(not is_open(calendars[slug], end) for (slug, _), end in zip(durations, ours, strict=True))
    disagreements = [
        (slug, start, mine, other)
        for (slug, start), mine, other in zip(durations, ours, theirs, strict=True)
        if mine.timestamp() != other.timestamp()
    ]
    return ours_rate, btd_rate, closings, disagreements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--btd-cases", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    defs = definitions()
    cases = make_cases(args.cases, args.seed)

    clear_engine_caches()
    cold = run_engine(engine_calendars(defs), cases[:20_000])  # fresh calendars, empty caches
    calendars = engine_calendars(defs)
    run_engine(calendars, cases[:20_000])  # warm-up
    warm = [run_engine(calendars, cases) for _ in range(args.repeat)]

    # businesstimedelta on duration targets only: the random starts, then starts on the quarter hour
    rules = btd_rules(defs)
    durations = [(slug, start) for slug, start, text in cases if text == "6h"][: args.btd_cases]
    quarters = [(slug, start.replace(minute=start.minute // 15 * 15, second=0)) for slug, start in durations]
    compared = [compare(calendars, rules, durations), compare(calendars, rules, quarters)]

    print(f"SLA engine benchmark: {len(cases):,} cases (6h / 1.5d mixed, starts 2026-2028, 3 calendars), 1 CPU")
    print(f"{'':32}{'deadlines/s':>14}")
    print(f"{'ours, cold (first 20,000)':32}{cold:>14,.0f}")
    print(f"{'ours, warm (median of ' + str(args.repeat) + ')':32}{statistics.median(warm):>14,.0f}")
    print(f"{'ours, warm (best)':32}{max(warm):>14,.0f}")
    for label, (ours_rate, btd_rate, closings, disagreements) in zip(["random", "quarter-hour"], compared, strict=True):
        print(f"\n6h targets, {len(durations):,} {label} starts, side by side:")
        print(f"{'':32}{'deadlines/s':>14}")
        print(f"{'ours':32}{ours_rate:>14,.0f}")
        print(f"{'businesstimedelta 1.0.1':32}{btd_rate:>14,.0f}")
        print(f"{'speed-up':32}{ours_rate / btd_rate:>13,.0f}x")
        print(
            f"agreement: {len(durations) - len(disagreements):,} / {len(durations):,} identical instants "
            f"({closings:,} deadlines fall exactly on a closing instant)"
        )
        for slug, start, mine, other in disagreements[:5]:
            cal = calendars[slug]
            print(
                f"  {slug} {format_instant(start, cal)}: ours {format_instant(mine, cal)}, "
                f"businesstimedelta {format_instant(other, cal)}"
            )
    print("PASS" if statistics.median(warm) >= 100_000 else "FAIL", "(requirement: >= 100,000 deadlines/s warm)")


if __name__ == "__main__":
    main()
