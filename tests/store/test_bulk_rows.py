"""The rows an import writes (store.plan.plan_tables) without a database, and the literals
SQLite's bulk insert writes into its statement: the actuals in the order of their unique
key, the same from a plan's columnar table as from a dict."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.domain.actuals import ActualsBuilder
from hoshin.domain.model import Metric, Objective, Organization, Plan, Vision
from hoshin.domain.months import Month
from hoshin.store.bulk import _literal
from hoshin.store.metric import ActualRow
from hoshin.store.plan import ACTUAL_COLUMNS, plan_tables

JAN, FEB, MAR = Month.of(2026, 1), Month.of(2026, 2), Month.of(2026, 3)


def plan_of(*metrics: Metric) -> Plan:
    """A plan of one objective holding ``metrics``."""
    return Plan(
        organization=Organization("Acme"),
        vision=Vision("Be the best"),
        objectives=(Objective("B1", "Grow", "breakthrough", metrics=metrics),),
    )


def actual_rows(plan: Plan) -> list[tuple[object, ...]]:
    (table,) = [t for t in plan_tables(7, plan) if t.table is ActualRow]
    assert table.columns == ACTUAL_COLUMNS == ("metric", "period", "value")
    assert table.shared == {"org_id": 7}
    return list(table.rows)


def test_actuals_come_in_the_order_of_metric_and_month() -> None:
    table = ActualsBuilder()
    zeta = Metric("zeta", "Z", actuals=table.add([int(JAN), int(MAR)], [1.0, 3.5]))
    alpha = Metric("alpha", "A", actuals={MAR: 2, JAN: -1.25})  # a dict, months out of order
    rows = actual_rows(plan_of(zeta, alpha))
    assert rows == [
        ("alpha", int(JAN), -1.25),
        ("alpha", int(MAR), 2),
        ("zeta", int(JAN), 1.0),
        ("zeta", int(MAR), 3.5),
    ]
    assert all(type(row[1]) is int for row in rows)  # a Month goes to the driver as an int


actuals = st.dictionaries(
    st.integers(int(JAN) - 120, int(JAN) + 120).map(Month),
    st.floats(allow_nan=False, allow_infinity=False),
    max_size=6,
)


@given(st.dictionaries(st.text("abcXYZ-_é", min_size=1, max_size=4), actuals, max_size=5))
def test_a_columnar_table_gives_the_rows_of_the_same_dicts(
    by_metric: dict[str, dict[Month, float]],
) -> None:
    table = ActualsBuilder()
    columnar = [
        Metric(key, key, actuals=table.add(sorted(a), [a[m] for m in sorted(a)]))
        for key, a in by_metric.items()
    ]
    dicts = [Metric(key, key, actuals=a) for key, a in by_metric.items()]
    expected = sorted((key, int(m), v) for key, a in by_metric.items() for m, v in a.items())
    assert actual_rows(plan_of(*columnar)) == expected
    assert actual_rows(plan_of(*dicts)) == expected


@pytest.mark.parametrize(
    ("value", "literal"),
    [(1, "1"), (True, "1"), ("2026-12-05 17:03:14.584765", "'2026-12-05 17:03:14.584765'"),
     ("l'eau", "'l''eau'"), (1.5, None), (None, None), ("a\0b", None)],
)  # fmt: skip
def test_shared_ints_and_texts_are_written_as_sqlite_literals(
    value: object, literal: str | None
) -> None:
    assert _literal(value) == literal
