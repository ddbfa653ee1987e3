"""The overlap scan's pairs, tile by tile, against brute force: the same pairs, counted
alike, the best kept, whatever the tiles' shape and with or without the table of kinds."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hoshin.domain.assist import pairs as pairs_module


def needed(floor: float, a: float, b: float) -> float:
    """The similarity two rows with baselines (and targets) ``a`` and ``b`` need, as
    pairs.Codes.needed reads it, one pair at a time."""
    if math.isnan(a) or math.isnan(b):
        return floor
    gap = 0.0 if a == b else abs(a - b) / max(abs(a), abs(b))
    if gap <= pairs_module.AGREE:
        return floor - pairs_module.AGREED
    return floor + pairs_module.DIFFERENT if gap > pairs_module.DIFFER else floor


def brute_force(
    matrix: np.ndarray, hands: list[int], numbers: list[float], floor: float
) -> list[tuple[int, int]]:
    grams = matrix @ matrix.T
    return [
        (i, j)
        for i, j in itertools.combinations(range(len(matrix)), 2)
        if hands[i] != hands[j] and grams[i, j] >= needed(floor, numbers[i], numbers[j])
    ]


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float32, (23, 3), elements=st.floats(-1, 1, width=32)),
    st.lists(st.integers(0, 5), min_size=23, max_size=23),
    st.lists(st.sampled_from([math.nan, 0.0, 10.0, 11.0, 14.0, 30.0]), min_size=23, max_size=23),
    st.floats(0.0, 0.95),
    st.integers(1, 40),
    st.sampled_from([(4, 7), (7, 4)]),
    st.booleans(),
)
def test_tiles_find_what_brute_force_finds(
    raw: np.ndarray,
    hands: list[int],
    numbers: list[float],
    floor: float,
    limit: int,
    tile: tuple[int, int],
    tabled: bool,
) -> None:
    matrix = raw + np.float32(1e-3)  # no zero row
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    given_numbers = np.array(numbers)  # each row's baseline and target alike
    codes = pairs_module.Codes(
        np.array(hands, dtype=np.int64),
        np.zeros(23, np.int64),
        np.full(23, -1, np.int64),
        given_numbers,
        given_numbers,
        False,
    )
    if tabled:  # at most 6 kinds of numbers: the floors from a table of kinds
        codes = codes.tabled()
        assert codes.table is not None
    with pytest.MonkeyPatch.context() as patch:  # tiles of 4 x 7 (or 7 x 4) over 23 rows
        patch.setattr(pairs_module, "ROWS", tile[0])
        patch.setattr(pairs_module, "COLUMNS", tile[1])
        best, count = pairs_module.best_pairs(matrix, codes, floor, limit)
    expected = brute_force(matrix, hands, numbers, floor)
    grams = matrix @ matrix.T
    assert count == len(expected)
    assert len(best) == min(limit, len(expected))
    sims = [s for s, _, _ in best]
    assert sims == sorted(sims, reverse=True)
    # the kept are among the pairs, and no pair left out is better than the worst kept
    assert all((i, j) in expected and grams[i, j] == pytest.approx(s) for s, i, j in best)
    left = sorted((grams[i, j] for i, j in expected), reverse=True)[len(best) :]
    assert not left or max(left) <= min(sims) + 1e-6
