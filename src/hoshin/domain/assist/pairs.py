"""Similar pairs of rows of a matrix of unit vectors, tile by tile: the pairs that may pair
(other hands; for metrics, alike in direction and unit), similar enough for their numbers,
the best of them and how many there are. The overlap scan's arithmetic (overlaps.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

# Two metrics' baselines and targets agree within AGREE (relative to the larger) or differ
# beyond DIFFER: the similarity their texts need is AGREED lower or DIFFERENT higher.
AGREE, DIFFER = 0.15, 0.5
AGREED, DIFFERENT = 0.15, 0.1
KINDS = 256  # at most this many kinds of rows by numbers: their floors from a table
ROWS, COLUMNS = 1_024, 8_192  # one tile of similarities: 32 MB of float32


class Codes(NamedTuple):
    """Each row's hands, direction and unit of measure as numbers (unit -1: none given),
    and its baseline and target (NaN: none given)."""

    hands: NDArray[np.int64]
    directions: NDArray[np.int64]
    units: NDArray[np.int64]
    baselines: NDArray[np.float64]
    targets: NDArray[np.float64]
    gated: bool  # metrics: those going opposite ways or in other units never overlap
    # When few rows differ in direction, unit and numbers (a templated plan: a few kinds of
    # row for 150,000 metrics), each row's kind and what each two kinds add to the floor.
    kinds: NDArray[np.int64] | None = None
    table: NDArray[np.float32] | None = None

    @classmethod
    def of(
        cls,
        hands: Sequence[int],
        directions: Sequence[str],
        measures: Sequence[str],
        numbers: Sequence[tuple[float, float]],
        *,
        gated: bool,
    ) -> Codes:
        """The codes of rows given by their hands, directions, units of measure ("": none)
        and (baseline, target) numbers (NaN: none)."""
        direction_codes: dict[str, int] = {}
        unit_codes: dict[str, int] = {"": -1}
        codes = cls(
            np.array(hands, dtype=np.int64),
            np.array([direction_codes.setdefault(d, len(direction_codes)) for d in directions]),
            np.array([unit_codes.setdefault(u, len(unit_codes) - 1) for u in measures]),
            np.array([n[0] for n in numbers], dtype=np.float64),
            np.array([n[1] for n in numbers], dtype=np.float64),
            gated,
        )
        return codes.tabled()

    def tabled(self) -> Codes:
        """These codes with the table of kinds, when there are at most KINDS of them."""
        rows = np.stack([self.directions, self.units, self.baselines, self.targets], axis=1)
        rows[np.isnan(rows)] = np.inf  # no number given: one kind (NaN is unequal to NaN)
        kinds, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        if len(kinds) > KINDS:
            return self
        one = self._replace(
            hands=self.hands[first],
            directions=self.directions[first],
            units=self.units[first],
            baselines=self.baselines[first],
            targets=self.targets[first],
        )
        table = one.needed((slice(None), None), (None, slice(None)), 0.0)
        return self._replace(kinds=inverse.reshape(-1), table=table.astype(np.float32))

    def apart(self, rows: slice, columns: slice) -> NDArray[np.bool_]:
        """Which pairs of a tile cannot overlap: the same hands, or metrics that go opposite
        ways or count in different units (a metric to raise and one to cut, or minutes and
        a share, never measure the same thing)."""
        apart: NDArray[np.bool_] = self.hands[rows, None] == self.hands[None, columns]
        return apart | ~self.alike((rows, None), (None, columns)) if self.gated else apart

    def alike(self, i: Any, j: Any) -> NDArray[np.bool_]:
        """Which pairs (rows ``i`` with rows ``j``, as numpy indexes them) count alike: the
        same direction, and the same unit or one not given."""
        units_i, units_j = self.units[i], self.units[j]
        alike: NDArray[np.bool_] = (self.directions[i] == self.directions[j]) & (
            (units_i == units_j) | (units_i < 0) | (units_j < 0)
        )
        return alike

    def needed(self, i: Any, j: Any, floor: float) -> NDArray[np.float64]:
        """The similarity each pair (rows ``i`` with rows ``j``, as numpy indexes them)
        needs: two metrics (or two objectives' headline metrics) of one direction and unit
        with the same baseline and target (within AGREE) measure the same quantity, so less
        similar texts will do; with numbers far apart (beyond DIFFER) they need more."""
        if self.kinds is not None and self.table is not None:
            tabled: NDArray[np.float64] = self.table[self.kinds[i], self.kinds[j]] + floor
            return tabled
        gap = np.fmax(
            _gap(self.baselines[i], self.baselines[j]), _gap(self.targets[i], self.targets[j])
        )
        if not self.gated:  # headline numbers of other directions or units say nothing
            gap[~self.alike(i, j)] = np.nan
        with np.errstate(invalid="ignore"):
            return floor - AGREED * (gap <= AGREE) + DIFFERENT * (gap > DIFFER)


def _gap(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """How far apart two numbers are, relative to the larger (0 when equal, NaN unknown)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        gap: NDArray[np.float64] = np.abs(a - b) / np.maximum(np.abs(a), np.abs(b))
    return np.where(a == b, 0.0, gap)


def best_pairs(
    matrix: NDArray[np.float32], codes: Codes, floor: float, limit: int
) -> tuple[list[tuple[float, int, int]], int]:
    """Pairs (i < j) of rows that may overlap with similarity >= ``floor``: the ``limit``
    best, best first, and how many there are."""
    n = len(matrix)
    sims: list[NDArray[np.float32]] = []
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    kept, count, bar = 0, 0, -2.0  # the pool's worst once it is full
    for i0 in range(0, n, ROWS):
        i1 = min(n, i0 + ROWS)
        for j0 in range(i0, n, COLUMNS):
            j1 = min(n, j0 + COLUMNS)
            tile = matrix[i0:i1] @ matrix[j0:j1].T
            if j0 < i1:  # the tile crosses the diagonal: keep j > i only
                tile[np.tril_indices(i1 - i0, i0 - j0, j1 - j0)] = -2.0
            tile[codes.apart(slice(i0, i1), slice(j0, j1))] = -2.0
            accepted = _accepted(tile, codes, floor, i0, j0)
            count += int(np.count_nonzero(accepted))
            at = np.flatnonzero(accepted & (tile >= bar))
            if len(at) > limit:
                at = at[np.argpartition(-tile.ravel()[at], limit - 1)[:limit]]
            if len(at):
                sims.append(tile.ravel()[at])
                rows.append(at // (j1 - j0) + i0)
                cols.append(at % (j1 - j0) + j0)
                kept += len(at)
            if kept > limit:  # keep the pool small and raise the bar to its worst
                sims, rows, cols, bar = _trim(sims, rows, cols, limit)
                kept = limit
    if not sims:
        return [], count
    sims, rows, cols, _ = _trim(sims, rows, cols, limit)
    order = np.argsort(-sims[0], kind="stable")
    best = [(float(sims[0][k]), int(rows[0][k]), int(cols[0][k])) for k in order.tolist()]
    return best, count


def _accepted(
    tile: NDArray[np.float32], codes: Codes, floor: float, i0: int, j0: int
) -> NDArray[np.bool_]:
    """Which pairs of a tile are similar enough: the floors from the table of kinds, else
    the numbers read only for the pairs whose similarity they can change (between the
    lowest and the highest bar)."""
    if codes.table is not None:
        rows, columns = slice(i0, i0 + tile.shape[0]), slice(j0, j0 + tile.shape[1])
        dense: NDArray[np.bool_] = tile >= codes.needed((rows, None), (None, columns), floor)
        return dense
    accepted: NDArray[np.bool_] = tile >= floor + DIFFERENT
    band = np.flatnonzero((tile >= floor - AGREED) & ~accepted)
    if len(band):
        width = tile.shape[1]
        i, j = band // width + i0, band % width + j0
        accepted.ravel()[band] = tile.ravel()[band] >= codes.needed(i, j, floor)
    return accepted


def _trim(
    sims: list[NDArray[np.float32]],
    rows: list[NDArray[np.int64]],
    cols: list[NDArray[np.int64]],
    limit: int,
) -> tuple[list[NDArray[np.float32]], list[NDArray[np.int64]], list[NDArray[np.int64]], float]:
    """The pool cut to its ``limit`` best, and the similarity of its worst."""
    s, r, c = np.concatenate(sims), np.concatenate(rows), np.concatenate(cols)
    if len(s) > limit:
        keep = np.argpartition(-s, limit - 1)[:limit]
        s, r, c = s[keep], r[keep], c[keep]
    return [s], [r], [c], float(s.min())
