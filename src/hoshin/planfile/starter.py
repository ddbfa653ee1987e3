"""The commented starter plan of ``hoshin init``, dated from the day it is written.

The example plan starts three months before ``today``'s month, so it holds three months of
actuals up to last month and no deadline of it has passed: ``hoshin check`` of a fresh
starter reports no late action, infeasible schedule, overdue countermeasure or stale metric.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from string import Template

from hoshin.domain.months import Month

# English month names, whatever the machine's locale (strftime's %b follows it).
_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def starter_template() -> str:
    """The starter file as the package holds it: YAML with ``${...}`` in place of dates."""
    return (resources.files("hoshin.planfile") / "starter.yaml").read_text(encoding="utf-8")


def starter_dates(today: date) -> dict[str, str]:
    """The dates of the starter plan written on ``today``, by their names in the template."""
    now = Month.of_date(today)
    first = now.minus(3)  # three months of actuals: first, first + 1 and last month
    breakthrough, annual, team = first + 59, first + 11, first + 7
    return {
        "m0": str(first), "m1": str(first + 1), "m2": str(first + 2),
        # five calendar years from the first: the vision's horizon covers the breakthrough
        "horizon": str(first.year + 5),
        "b_end": str(breakthrough), "b_end_name": _name(breakthrough),
        "a_end": str(annual), "a_end_name": _name(annual), "a_dip": str(first + 7),
        "t_end": str(team), "t_end_name": _name(team),
        # act1 is half done: from the second day of last month to the end of the third month
        # ahead leaves its remaining half room from any day of this month; act2's 30 days
        # then fit before T1's end
        "act_start": (now.minus(1).first_day().replace(day=2)).isoformat(),
        "act_due": (now + 3).last_day().isoformat(),
        "cm_due": now.last_day().isoformat(),
    }  # fmt: skip


def starter_text(today: date) -> str:
    """The commented starter plan, dated from ``today``."""
    return Template(starter_template()).substitute(starter_dates(today))


def _name(month: Month) -> str:
    return f"{_NAMES[month.number - 1]} {month.year}"
