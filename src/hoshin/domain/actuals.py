"""Metrics' actuals held as columns: one table of months and values for a whole plan, and each
metric's actuals a read-only ``Mapping[Month, float]`` over its slice of it.

The largest plan holds 3.7 million actuals. As dicts of ``Month`` to ``float`` they cost about
100 bytes each (the key object, the value object, the hash slot): most of a worker's memory.
Two typed arrays cost 12 bytes an actual, and the engine reads them as NumPy arrays without a
copy (``ActualsTable.arrays``) to find every metric's latest actual in one search.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from typing import Any

import numpy as np
import numpy.typing as npt

from hoshin.domain.months import Month, month_of


class ActualsTable:
    """The actuals of many metrics: ``months`` (ordinals) and ``values``, each metric's run of
    them consecutive and sorted by month. Never changed once built: a new actual makes a new
    mapping for its metric (``incremental.with_actuals``); once ``arrays`` has been read the
    arrays cannot grow (NumPy holds their buffers)."""

    __slots__ = ("_arrays", "months", "values")

    def __init__(self, months: array[int], values: array[float]) -> None:
        self.months = months
        self.values = values
        self._arrays: tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]] | None = None

    def arrays(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
        """The months and values as NumPy arrays over the same memory."""
        if self._arrays is None:
            self._arrays = (
                np.frombuffer(self.months, dtype=np.int32),
                np.frombuffer(self.values, dtype=np.float64),
            )
        return self._arrays


class Actuals(Mapping[Month, float]):
    """One metric's actuals by month: the slice ``start:stop`` of an ``ActualsTable``."""

    __slots__ = ("start", "stop", "table")

    def __init__(self, table: ActualsTable, start: int, stop: int) -> None:
        self.table = table
        self.start = start
        self.stop = stop

    def _at(self, month: object) -> int:
        """The index of ``month`` in the table, or -1."""
        if not isinstance(month, int):
            return -1
        months = self.table.months
        at = bisect_left(months, month, self.start, self.stop)
        return at if at < self.stop and months[at] == month else -1

    def __getitem__(self, month: Month) -> float:
        at = self._at(month)
        if at < 0:
            raise KeyError(month)
        return self.table.values[at]

    def get(self, month: Month, default: Any = None) -> Any:
        """The actual of ``month``, else ``default`` (without raising inside)."""
        # _at inlined: the findings ask every metric of the plan
        if month.__class__ is not Month and not isinstance(month, int):
            return default
        months, stop = self.table.months, self.stop
        at = bisect_left(months, month, self.start, stop)
        return self.table.values[at] if at < stop and months[at] == month else default

    def __contains__(self, month: object) -> bool:
        if month.__class__ is not Month and not isinstance(month, int):
            return False
        months, stop = self.table.months, self.stop
        at = bisect_left(months, month, self.start, stop)
        return at < stop and months[at] == month

    def __iter__(self) -> Iterator[Month]:
        return map(month_of, self.table.months[self.start : self.stop])

    def __len__(self) -> int:
        return self.stop - self.start

    def items(self) -> ItemsView[Month, float]:
        """(month, value) pairs in month order, read straight from the columns."""
        return _Items(self)

    def values(self) -> ValuesView[float]:
        """The values in month order."""
        return _Values(self)

    def latest(self, month: int) -> Month | None:
        """The latest month with an actual at or before ``month``."""
        at = bisect_right(self.table.months, month, self.start, self.stop)
        return None if at == self.start else month_of(self.table.months[at - 1])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Actuals):
            return (
                self.table.months[self.start : self.stop]
                == other.table.months[other.start : other.stop]
                and self.table.values[self.start : self.stop]
                == other.table.values[other.start : other.stop]
            )
        return super().__eq__(other)

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled (or deep-copied) alone it carries its own slice, not the plan's whole table
        return (actuals_of, (dict(self.items()),))


class _Items(ItemsView[Month, float]):
    _mapping: Actuals

    def __iter__(self) -> Iterator[tuple[Month, float]]:
        own, table = self._mapping, self._mapping.table
        return zip(
            map(month_of, table.months[own.start : own.stop]),
            table.values[own.start : own.stop],
            strict=True,
        )


class _Values(ValuesView[float]):
    _mapping: Actuals

    def __iter__(self) -> Iterator[float]:
        own = self._mapping
        return iter(own.table.values[own.start : own.stop])


def actuals_of(pairs: Mapping[Month, float] | Iterable[tuple[int, float]]) -> Actuals:
    """The actuals of ``pairs`` (month, value), in a table of their own."""
    items = sorted(pairs.items() if isinstance(pairs, Mapping) else pairs)
    table = ActualsTable(array("i", [m for m, _ in items]), array("d", [v for _, v in items]))
    return Actuals(table, 0, len(items))


class ActualsBuilder:
    """Builds one table for many metrics: ``add`` each metric's actuals in turn; each gets its
    mapping at once, over the table filled so far."""

    __slots__ = ("months", "table", "values")

    def __init__(self) -> None:
        self.months: array[int] = array("i")
        self.values: array[float] = array("d")
        self.table = ActualsTable(self.months, self.values)

    def add(self, months: Iterable[int], values: Iterable[float]) -> Actuals:
        """The mapping of one metric's actuals, appended to the table; ``months`` must be
        increasing (the lookups bisect them), as ``ORDER BY metric, period`` gives them."""
        start = len(self.months)
        self.months.extend(months)
        self.values.extend(values)
        return Actuals(self.table, start, len(self.months))


def actuals_in_runs(
    counts: Sequence[int],
    firsts: Sequence[int],
    values: npt.NDArray[np.float64],
    gapped: Mapping[int, Iterable[int]],
) -> list[Actuals]:
    """Each metric's actuals over one table, from its run of ``values``: metric ``i`` has
    ``counts[i]`` consecutive months from ``firsts[i]``, or the months ``gapped[i]`` (any
    order) when they are not consecutive; ``values`` are the runs' values one after the
    other, each run in month order.

    A database's actuals come this way without a Python object per actual: the months of
    a run are made by NumPy from its first, and only the values are read row by row."""
    sizes = np.asarray(counts, dtype=np.int64)
    stops = np.cumsum(sizes)
    starts = stops - sizes
    firsts_of_rows = np.repeat(np.asarray(firsts, dtype=np.int64) - starts, sizes)
    months = (np.arange(len(values), dtype=np.int64) + firsts_of_rows).astype(np.int32)
    for run, gapped_months in gapped.items():
        months[starts[run] : stops[run]] = sorted(gapped_months)
    table = ActualsTable(array("i", months.tobytes()), array("d", values.tobytes()))
    return [
        Actuals(table, start, stop)
        for start, stop in zip(starts.tolist(), stops.tolist(), strict=True)
    ]


def first_at_or_after(
    months: npt.NDArray[np.int32],
    start: npt.NDArray[np.int64],
    stop: npt.NDArray[np.int64],
    month: npt.NDArray[np.int64] | int,
) -> npt.NDArray[np.int64]:
    """In each run ``start:stop`` of a table's sorted ``months``, the index of the first
    month at or after that run's ``month`` (``stop`` when none is): a binary search of all
    runs at once."""
    low, high = start.copy(), stop.copy()
    if len(months) == 0:
        return high
    last = len(months) - 1
    while True:
        open_ = low < high
        if not open_.any():
            return low
        middle = (low + high) // 2
        before = open_ & (months[np.minimum(middle, last)] < month)
        low = np.where(before, middle + 1, low)
        high = np.where(open_ & ~before, middle, high)
