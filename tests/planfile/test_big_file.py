"""A large plan file read on the fast path still reports each problem at its line and place,
and the months the Period rule took before change no verdict and no message."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from hoshin.planfile import PlanFileError, parse_plan, schema
from hoshin.planfile.schema import ByMonth, MonthText

METRICS = 2_000  # one objective each, 24 actuals each: 48,000 actuals
MONTHS = [f"{2025 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]
# Lines 1-5 are the header; objective i then takes LINES lines from line 6 + LINES * i.
HEADER = "hoshin: 1\norganization: {name: Big}\npeople:\n  - {id: ana, name: Ana}\nobjectives:\n"
LINES = 14  # in the order of _objective's lines below; actuals is its line 14


def _objective(i: int, *, start: str = "2025-01", actual: str = "1.5", key: str = "") -> str:
    actuals = {month: "1.5" for month in MONTHS}
    actuals["2026-07"] = actual
    if key:
        actuals[key] = actuals.pop("2026-12")
    return (
        f"  - id: B{i}\n"
        f"    title: Objective {i}\n"
        "    level: breakthrough\n"
        "    owner: ana\n"
        f"    start: {start}\n"
        "    end: 2026-12\n"
        "    metrics:\n"
        f"      - id: m{i}\n"
        f"        name: Metric {i}\n"
        "        baseline: 1\n"
        "        baseline_period: 2024-12\n"
        "        target: 2\n"
        "        target_period: 2026-12\n"
        "        actuals: {" + ", ".join(f"{m}: {v}" for m, v in actuals.items()) + "}\n"
    )


def big_plan(bad: dict[int, dict[str, str]], count: int = METRICS) -> str:
    """``count`` objectives; objective ``i`` made with ``bad[i]``'s arguments."""
    return HEADER + "".join(_objective(i, **bad.get(i, {})) for i in range(count))


def line_of(i: int, line: int) -> int:
    """The file's line of line ``line`` (1-14) of objective ``i``."""
    return 5 + LINES * i + line


def problems(text: str) -> list[str]:
    """The reported problems of a plan text that must not load."""
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, "big.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_big_plan_reads() -> None:
    plan = parse_plan(big_plan({}), "big.yaml")
    assert len(plan.objectives) == METRICS
    # the actuals in month order, whatever the file's order
    assert [str(month) for month in plan.objectives[-1].metrics[0].actuals] == MONTHS


def test_bad_values_deep_in_a_big_file_are_reported_at_their_lines() -> None:
    # objective 1,234: its 14th line at 5 + 14 x 1,234 + 14 = 17,295
    # objective 1,900: its 5th line (start) at 5 + 14 x 1,900 + 5 = 26,610
    # objective 1,999: its 14th line at 5 + 14 x 1,999 + 14 = 28,005
    assert line_of(1234, 14) == 17_295
    found = problems(
        big_plan({1234: {"actual": "abc"}, 1900: {"start": "2026-13"}, 1999: {"key": "2026-1"}})
    )
    assert found == [
        "big.yaml:17295: objectives[1234].metrics[0].actuals.2026-07: expected a number, got 'abc'",
        "big.yaml:26610: objectives[1900].start: "
        "'2026-13' is not a month: 13 is not between 01 and 12",
        "big.yaml:28005: objectives[1999].metrics[0].actuals.2026-1: "
        "'2026-1' is not a month: write YYYY-MM, e.g. 2026-06",
    ]


def test_reading_leaves_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    parse_plan(big_plan({}, 5), "big.yaml")
    assert gc.isenabled()
    problems(big_plan({3: {"actual": "x"}}, 5))
    assert gc.isenabled()
    gc.disable()
    try:
        parse_plan(big_plan({}, 5), "big.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


# What the Period rule takes: YYYY-MM of the years 1900-2999.
EVERY_MONTH = {f"{year}-{month:02d}" for year in range(1900, 3000) for month in range(1, 13)}
BY_MONTH = TypeAdapter(ByMonth)
MONTH_TEXT = TypeAdapter(MonthText)
keys = st.one_of(
    st.sampled_from(["2026-01", "2026-12", "1900-01", "2999-12", "2026-13", "3000-01", "26-01"]),
    st.text(max_size=8),
)
values = st.one_of(
    st.floats(allow_nan=False), st.integers(), st.booleans(), st.text(max_size=3), st.none()
)


def outcome(adapter: TypeAdapter[Any], value: object, taken: set[str]) -> object:
    """What ``adapter`` makes of ``value`` (or its errors) with ``taken`` as months taken."""
    before = set(schema._MONTHS_TAKEN)
    schema._MONTHS_TAKEN.clear()
    schema._MONTHS_TAKEN.update(taken)
    try:
        return adapter.validate_python(value)
    except ValidationError as error:
        return [(e["type"], e["loc"], e["msg"], repr(e["input"])) for e in error.errors()]
    finally:
        schema._MONTHS_TAKEN.clear()
        schema._MONTHS_TAKEN.update(before)


@settings(deadline=None, max_examples=300)
@given(st.one_of(st.dictionaries(keys, values, max_size=5), values, st.lists(keys, max_size=2)))
def test_months_taken_before_change_no_verdict(value: object) -> None:
    assert outcome(BY_MONTH, value, set()) == outcome(BY_MONTH, value, EVERY_MONTH)
    if not isinstance(value, dict):
        assert outcome(MONTH_TEXT, value, set()) == outcome(MONTH_TEXT, value, EVERY_MONTH)


@settings(deadline=None)
@given(keys)
def test_a_month_text_is_taken_as_the_rule_takes_it(text: str) -> None:
    assert outcome(MONTH_TEXT, text, set()) == outcome(MONTH_TEXT, text, EVERY_MONTH)


@pytest.mark.parametrize("count", [3, 300])  # a run of months shared, and one too long to keep
def test_actuals_are_read_in_month_order(count: int) -> None:
    # the months from 2000-01 on, written last first: 2000-01 holds 0, 2000-02 holds 1, ...
    months = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(count)]
    actuals = ", ".join(f"{months[i]}: {i}" for i in reversed(range(count)))
    text = big_plan({}, 1).replace("actuals: {", "actuals: {" + actuals + ", ", 1)
    text = text.replace("baseline_period: 2024-12", "baseline_period: 1999-12")
    read = parse_plan(text, "big.yaml").objectives[0].metrics[0].actuals
    assert [str(month) for month in read][:count] == months
    assert [read[month] for month in list(read)[:count]] == list(range(count))
