"""A small plan with every field of the workbook set, whose numbers the sheet tests work out
by hand (tests/domain/test_sheets.py, tests/planfile/test_workbook.py and the doors' tests)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from hoshin.domain.model import (
    Action,
    Countermeasure,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Risk,
    SituationItem,
    Unit,
    Vision,
)
from hoshin.domain.months import Month

M = Month.parse
AS_OF = date(2026, 4, 15)

# M1 climbs from 10 (2026-01) to 21 (2026-12): one a month, so the plan of 2026-03 is 12;
# its June is set to 16.5 by hand (the trajectory says 15).
M1 = Metric(
    "M1", "Orders a day", baseline=10, baseline_period=M("2026-01"), target=21,
    target_period=M("2026-12"), targets={M("2026-06"): 16.5},
    actuals={M("2026-02"): 11, M("2026-03"): 11.5, M("2026-04"): 11},
)  # fmt: skip
# Q1 stays between 90 and 100: no course, a row for each month with an actual only.
Q1 = Metric(
    "Q1", "On-time share", direction="maintain", minimum=90, maximum=100, unit="%",
    frequency="quarterly", actuals={M("2026-03"): 85, M("2026-02"): 95},
)  # fmt: skip
PLAN = Plan(
    Organization("Ørsted & Co", fiscal_year_start=4),
    Vision("Be first", "Serve", 2031, ("Safety", "Care")),
    units=(Unit("hq", "Head office"), Unit("ops", "Operations", "hq", "ana")),
    people=(Person("ana", "Ana Lima", "ops", "ana@example.com"), Person("bo", "Bo Ek")),
    objectives=(
        Objective("B1", "Grow orders", "breakthrough", owner="ana", unit="ops",
                  start=M("2026-01"), end=M("2026-12"), metrics=(M1,), addresses=("W1", "T1")),
        Objective("B2", "Keep promises", "breakthrough", owner="bo", metrics=(Q1,)),
        Objective("A1", "Open a shop", "annual", supports={"B1": 0.6, "B2": 0.4},
                  supports_strength={"B2": "weak"}, end=M("2026-12")),
    ),
    actions=(
        Action("act1", "Find a site", owner="ana", serves=("A1",), moves=("M1", "Q1"),
               moves_strength={"Q1": "medium"}, start=date(2026, 3, 1), due=date(2026, 3, 31),
               risks=(Risk("No site", "Rent", "No lease by May", "high"),), budget=5000,
               fte=0.5),
        Action("act2", "Fit it out", serves=("A1",), requires=("act1",), duration_days=30,
               done=True, progress=100),
    ),
    countermeasures=(
        Countermeasure("c1", "M1", M("2026-04"), cause="Rain", owner="bo", due=date(2026, 5, 1)),
    ),
    situation=(
        SituationItem("S1", "strength", "Loyal customers"),
        SituationItem("W1", "weakness", "One shop only"),
        SituationItem("T1", "threat", "A rival opens nearby"),
    ),
)  # fmt: skip


def without_empty_text(value: Any) -> Any:
    """``value`` (a plan, or a part of it) with empty optional text as no text: a spreadsheet
    keeps no empty cell text, so a workbook reads an empty description back as none."""
    if isinstance(value, tuple):
        return tuple(without_empty_text(item) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        if item == "" and field.default is None:
            changes[field.name] = None
        elif isinstance(item, tuple) or dataclasses.is_dataclass(item):
            changes[field.name] = without_empty_text(item)
    return dataclasses.replace(value, **changes)
