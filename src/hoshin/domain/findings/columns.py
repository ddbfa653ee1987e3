"""The metrics as columns for the measurement findings: each metric's result read once, and
the runs of actuals of one columnar table searched as arrays.

The largest plan has 150,000 metrics and a hundred thousand of them give a finding: a loop
that asks each metric for its result and its actuals one at a time took half a second, so
the checks read each field once into a list (``map`` over the metrics, in C) and decide over
arrays; only the findings that come out get their message.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Sequence
from itertools import compress
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from hoshin.domain.actuals import ActualsTable
from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.domain.status import MetricResult

T = TypeVar("T")

_id, _status = attrgetter("id"), attrgetter("status")
_period = attrgetter("current_period")
_actuals, _table = attrgetter("actuals"), attrgetter("table")
_start, _stop = attrgetter("start"), attrgetter("stop")


class MonthTexts(dict[Month | None, str]):
    """Each month's ``str``, made once: a dict lookup in C instead of ``Month.__str__``."""

    def __missing__(self, month: Month | None) -> str:
        text = self[month] = str(month)
        return text


class MetricRows:
    """The metrics of a context with their ids, results, statuses and current periods, in
    the metrics' order."""

    __slots__ = ("ids", "metrics", "periods", "results", "statuses")

    def __init__(self, metrics: Sequence[Metric], results: Any) -> None:
        self.metrics = metrics
        self.ids: list[str] = list(map(_id, metrics))
        self.results: list[MetricResult] = list(map(results.__getitem__, self.ids))
        self.statuses: list[str] = list(map(_status, self.results))
        self.periods: list[Month | None] = list(map(_period, self.results))

    def where(self, statuses: Collection[str]) -> list[int]:
        """The rows whose status is one of ``statuses``."""
        return list(compress(range(len(self.statuses)), map(statuses.__contains__, self.statuses)))


def pick(values: Sequence[T], rows: Sequence[int]) -> list[T]:
    """The ``values`` at ``rows``."""
    return list(map(values.__getitem__, rows))


def months_of(months: list[Month]) -> npt.NDArray[np.int64]:
    """The months as an array of ordinals (through ``array``: NumPy reads ``int`` subclasses
    one slow step at a time)."""
    return np.frombuffer(array("q", months), np.int64)


def runs_of(metrics: Sequence[Metric]) -> tuple[Any, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The one table holding every metric's actuals, with each metric's run (start, stop) in
    it; (None, empty, empty) when some metric's actuals lie elsewhere."""
    actuals = list(map(_actuals, metrics))
    none = np.zeros(0, np.int64)
    try:
        tables = set(map(_table, actuals))
    except AttributeError:  # a mapping of its own
        return None, none, none
    table = tables.pop() if len(tables) == 1 else None
    if not isinstance(table, ActualsTable):  # only an Actuals has a table of actuals
        return None, none, none
    start = np.fromiter(map(_start, actuals), np.int64, len(actuals))
    stop = np.fromiter(map(_stop, actuals), np.int64, len(actuals))
    return table, start, stop
