"""The columnar actuals read like the dict of the same months and values."""

from __future__ import annotations

import copy
import pickle

from hypothesis import given
from hypothesis import strategies as st

from hoshin.domain.actuals import Actuals, ActualsBuilder, actuals_of
from hoshin.domain.months import Month, month_of

MONTHS = st.integers(Month.of(2024, 1), Month.of(2027, 12)).map(Month)
RUNS = st.lists(st.dictionaries(MONTHS, st.floats(-1e6, 1e6), max_size=8), max_size=5)


def _built(runs: list[dict[Month, float]]) -> list[Actuals]:
    builder = ActualsBuilder()
    return [builder.add(sorted(run), [run[m] for m in sorted(run)]) for run in runs]


@given(RUNS, MONTHS)
def test_each_metric_reads_like_its_dict(runs: list[dict[Month, float]], probe: Month) -> None:
    for run, actuals in zip(runs, _built(runs), strict=True):
        expected = dict(sorted(run.items()))
        assert actuals == expected and expected == actuals
        assert list(actuals) == list(expected) and len(actuals) == len(expected)
        assert list(actuals.items()) == list(expected.items())
        assert list(actuals.values()) == list(expected.values())
        assert actuals.get(probe) == expected.get(probe)
        assert (probe in actuals) == (probe in expected)
        text: object = "2025-01"  # a month written as text is not a key
        assert (text in actuals) is False
        earlier = [m for m in expected if m <= probe]
        assert actuals.latest(probe) == (max(earlier) if earlier else None)


def test_months_are_shared_and_typed() -> None:
    """Jan and Feb 2025: 2025 * 12 + 0 and + 1; every metric hands out the same objects."""
    first, second = _built([{Month(24300): 1.0, Month(24301): 2.0}, {Month(24300): 5.0}])
    assert [repr(m) for m in first] == ["Month('2025-01')", "Month('2025-02')"]
    assert next(iter(first)) is next(iter(second)) is month_of(24300)
    assert first[Month(24301)] == 2.0 and second.get(Month(24301)) is None


def test_a_copy_or_a_pickle_carries_its_own_months_only() -> None:
    _, second = _built([{Month(24300): 1.0}, {Month(24302): 3.0, Month(24303): 4.0}])
    for again in (copy.deepcopy(second), pickle.loads(pickle.dumps(second))):
        assert again == second
        assert isinstance(again, Actuals) and len(again.table.months) == 2


def test_actuals_of_sorts_its_pairs() -> None:
    actuals = actuals_of({Month(24302): 3.0, Month(24300): 1.0})
    assert list(actuals.items()) == [(Month(24300), 1.0), (Month(24302), 3.0)]
