"""When a metric's actual is due: every month for a monthly metric; for a quarterly one, the
last month of each fiscal quarter, the organisation's ``fiscal_year_start`` opening the first
quarter (a fiscal year from April: June, September, December and March).

One rule for every place that decides what is due: the check-in's grid, the stale-metric
finding and My work."""

from __future__ import annotations

from hoshin.domain.model import Frequency
from hoshin.domain.months import Month

QUARTER = 3  # months


def _to_quarter_end(month: Month, fiscal_start: int) -> int:
    """How many months after ``month`` its fiscal quarter ends (0: it is the last month)."""
    return (fiscal_start - 1 - month.number) % QUARTER


def is_due(frequency: Frequency, month: Month, fiscal_start: int) -> bool:
    """Whether a metric of ``frequency`` has an actual due for ``month``."""
    return frequency == "monthly" or _to_quarter_end(month, fiscal_start) == 0


def latest_due(frequency: Frequency, month: Month, fiscal_start: int) -> Month:
    """The last month, ``month`` or before it, for which an actual is due."""
    if frequency == "monthly":
        return month
    return month.minus((QUARTER - _to_quarter_end(month, fiscal_start)) % QUARTER)


def next_due(frequency: Frequency, month: Month, fiscal_start: int) -> Month:
    """The first month, ``month`` or after it, for which an actual is due."""
    if frequency == "monthly":
        return month
    return month + _to_quarter_end(month, fiscal_start)


def months_covered(frequency: Frequency) -> int:
    """How many months an actual covers, the month it is due for the last of them: a
    quarterly metric's actual due for June covers April, May and June."""
    return QUARTER if frequency == "quarterly" else 1
