"""A hand-made plan for the A3 tests, its figures worked out beside it (as of 2026-05-01)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

AS_OF = date(2026, 5, 1)

# A1 ends 2026-06: its deadline is 2026-06-30.
#   a1: 20 days at 50% -> ceil(20 x 0.5) = 10 days left; a2 requires a1: 30 days, 0% done.
#   Backward: a2 finishes by 06-30, starts by 06-30 - 30 + 1 = 06-01; a1 finishes by
#   05-31 and starts by 05-31 - 10 + 1 = 05-22.
#   Forward from 05-01: a1 05-01..05-10; a2 starts 05-11.
#   Slack: a1 05-22 - 05-01 = 21 days; a2 06-01 - 05-11 = 21 days.
#   a3: 40 days due 05-20: starts by 05-20 - 40 + 1 = 04-11, 20 days before 05-01:
#   slack -20, 20 days late, the critical action.
# The metric 'answered' runs linearly 60 -> 96 from 2025-12 to 2026-12: 3 a month, so the
# plan of 2026-12 (this fiscal year's end) is 96 and of 2026-04 is 72.
PLAN = """\
hoshin: 1
organization: {name: Harbour Works, fiscal_year_start: 1}
vision: {statement: Every ship leaves on time, horizon: 2031}
units:
  - {id: works, name: Harbour Works}
  - {id: yard, name: Dry dock yard, parent: works}
people:
  - {id: jo, name: Jo Rivera, unit: works}
  - {id: sam, name: Sam Okoye, unit: yard}
objectives:
  - id: B1
    title: Turn every ship round in under 10 days by 2030
    level: breakthrough
    owner: jo
    unit: works
    start: 2025-12
    end: 2030-12
    metrics:
      - {id: turnaround, name: Average turnaround days, unit: days, direction: decrease,
         baseline: 18, baseline_period: 2025-12, target: 10, target_period: 2030-12}
  - id: A1
    title: Answer 96% of yard calls within a day by June 2026
    level: annual
    owner: sam
    unit: yard
    start: 2025-12
    end: 2026-06
    supports: {B1: 0.6}
    metrics:
      - id: answered
        name: Yard calls answered within a day
        unit: "%"
        direction: increase
        baseline: 60
        baseline_period: 2025-12
        target: 96
        target_period: 2026-12
        actuals: {2026-01: 63, 2026-02: 64, 2026-03: 60, 2026-04: 70}
actions:
  - {id: a1, title: Write the call-handling standard, owner: sam, serves: [A1],
     duration_days: 20, progress: 50}
  - id: a2
    title: Train the yard dispatchers on the standard
    owner: jo
    serves: [A1]
    requires: [a1]
    duration_days: 30
    risks:
      - {risk: The trainer is booked elsewhere, contingency: Use the recorded course}
  - {id: a3, title: Install the call tracking board, owner: sam, serves: [A1],
     duration_days: 40, due: 2026-05-20}
countermeasures:
  - {id: cm1, metric: answered, period: 2026-03, cause: Two dispatchers left in March,
     action: Borrow two dispatchers from the office, owner: sam, due: 2026-05-15}
  - {id: cm2, metric: answered, period: 2026-02, cause: The phones were down for a week,
     action: Move calls to the radio, owner: jo, status: closed,
     effect: Calls back on plan in April}
"""


def write_plan(folder: Path, text: str = PLAN) -> Path:
    """The plan written to folder/harbour.yaml."""
    path = folder / "harbour.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def pdf_info(path: Path) -> str:
    """What pdfinfo says of the PDF at ``path``."""
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_text(path: Path) -> str:
    """The PDF's text laid out as on the page (pdftotext -layout)."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout
