"""One pass of the reminder scheduler (domain.reminders) over the synthetic enterprise plans.

`.venv/bin/python -m bench.reminders` (sizes in people from BENCH_REMINDERS_SIZES, default
"10000,50000"). Each plan gets unit leads (a team's first person, and p0 for headquarters)
and is run on two days: the enterprise day (2027-01-15, a Friday: every actual of December
in, deadlines only) and the Monday 2027-02-08, when every January actual is 7 days late
(escalation level 1 for everyone), most metrics are red, and the digest goes out. The time
is the pass alone, best of 3; the analysis is cached by the server and timed in bench.engine.
"""

from __future__ import annotations

import os
import platform
from collections import Counter
from dataclasses import replace
from datetime import date

from bench.engine import best_of
from bench.enterprise import AS_OF, PEOPLE_PER_TEAM, enterprise_plan
from hoshin.domain.analysis import analyze
from hoshin.domain.model import Plan
from hoshin.domain.reminders import reminders

SIZES = [int(s) for s in os.environ.get("BENCH_REMINDERS_SIZES", "10000,50000").split(",") if s]
MONDAY = date(2027, 2, 8)  # January's actuals due 2027-02-01: 7 days late
DAYS = (AS_OF, MONDAY)


def with_leads(plan: Plan) -> Plan:
    """``plan`` with a lead for every unit: p0 heads hq, team t's first person leads it."""
    teams = max(1, len(plan.people) // PEOPLE_PER_TEAM)
    units = tuple(
        replace(unit, lead="p0" if unit.id == "hq" else f"p{int(unit.id[1:]) % teams}")
        for unit in plan.units
    )
    return replace(plan, units=units)


def row(people: int, as_of: date) -> str:
    """One Markdown row: the pass's time and the notices of each event."""
    plan = with_leads(enterprise_plan(people))
    analysis = analyze(plan, as_of)
    found = reminders(plan, analysis, as_of=as_of, slug="enterprise")
    seconds = best_of(3, lambda: reminders(plan, analysis, as_of=as_of, slug="enterprise"))
    counts = Counter(notice.event for notice in found)
    events = ", ".join(f"{event} {count:,}" for event, count in sorted(counts.items()))
    return (
        f"| {people:,} | {len(plan.metrics()):,} | {as_of} ({as_of:%a}) | {seconds:.2f} "
        f"| {len(found):,} | {events or 'none'} |"
    )


def main() -> None:
    """Prints the table for BENCHMARKS.md."""
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; one core, lead days 0, escalation days 5"
    )
    print()
    print("| people | metrics | as of | scheduler pass (s) | notices | by event |")
    print("| ---: | ---: | --- | ---: | ---: | --- |")
    for people in SIZES:
        for day in DAYS:
            print(row(people, day), flush=True)


if __name__ == "__main__":
    main()
