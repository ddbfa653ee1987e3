"""load_plan's actuals: SQLite's read by runs (months made from each run's first, only the
values read row by row) gives what one row per actual gives, on gapped and consecutive runs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from hoshin.domain.actuals import ActualsBuilder, actuals_in_runs
from hoshin.domain.model import Metric, Objective, Organization, Person, Plan
from hoshin.domain.months import Month
from hoshin.store import plan_load
from hoshin.store.organization import create_organization
from hoshin.store.plan import replace_plan
from hoshin.store.plan_load import load_plan

JAN = Month.of(2026, 1)


def test_runs_give_consecutive_months_from_their_first_and_gapped_ones_sorted() -> None:
    # run 0: 2 months from January; run 1: 3 months, quarterly, given out of order
    values = np.array([1.0, 2.0, 10.0, 20.0, 30.0])
    first, second = actuals_in_runs(
        [2, 3], [JAN, JAN + 3], values, {1: [JAN + 9, JAN + 3, JAN + 6]}
    )
    assert dict(first.items()) == {JAN: 1.0, JAN + 1: 2.0}
    assert dict(second.items()) == {JAN + 3: 10.0, JAN + 6: 20.0, JAN + 9: 30.0}
    assert first.table is second.table and (second.start, second.stop) == (2, 5)


runs = st.lists(  # each metric's months (distinct) and a value for each
    st.dictionaries(
        st.integers(JAN - 40, JAN + 40),
        st.floats(allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=12,
    ),
    max_size=8,
)


@given(runs)
def test_runs_equal_one_row_per_actual(metrics: list[dict[int, float]]) -> None:
    builder = ActualsBuilder()
    expected = [builder.add(sorted(m), [m[k] for k in sorted(m)]) for m in metrics]
    counts = [len(m) for m in metrics]
    firsts = [min(m) for m in metrics]
    values = np.array([m[k] for m in metrics for k in sorted(m)], dtype=np.float64)
    gapped = {i: list(m) for i, m in enumerate(metrics) if max(m) - min(m) + 1 != len(m)}
    got = actuals_in_runs(counts, firsts, values, gapped)
    assert got == expected
    assert [(a.start, a.stop) for a in got] == [(a.start, a.stop) for a in expected]


def _plan() -> Plan:
    months = [JAN + i for i in range(14)]
    metrics = (
        Metric("M-monthly", "Monthly", actuals={m: i * 1.5 for i, m in enumerate(months)}),
        Metric("M-quarterly", "Quarterly", actuals={m: 0.1 * i for i, m in enumerate(months[::3])}),
        Metric("M-one", "One", actuals={JAN + 5: -2.0}),
        Metric("M-none", "None"),
        Metric("A-gap", "Gap", actuals={JAN: 1 / 3, JAN + 1: 2 / 3, JAN + 7: 1e-300}),
    )
    objective = Objective("B1", "Grow", "breakthrough", owner="p1", end=JAN + 23, metrics=metrics)
    return Plan(Organization("Acme"), people=(Person("p1", "P One"),), objectives=(objective,))


def test_load_plan_reads_every_kind_of_run(session: Session, backend: str) -> None:
    org = create_organization(session, slug="acme", name="Acme")
    plan = _plan()
    replace_plan(session, org=org, plan=plan)
    session.commit()
    loaded = load_plan(session, org=org)
    assert loaded == plan
    by_metric = {m.id: dict(m.actuals.items()) for m in loaded.objectives[0].metrics}
    assert by_metric == {m.id: dict(m.actuals) for m in plan.objectives[0].metrics}
    assert all(type(v) is float for a in by_metric.values() for v in a.values())
    rows = plan_load._actuals_by_rows(session, org.id)
    assert {k: dict(v.items()) for k, v in plan_load._actuals(session, org.id).items()} == {
        k: dict(v.items()) for k, v in rows.items()
    }


def test_sqlite_reads_actuals_by_runs_and_postgresql_by_rows(
    session: Session, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = create_organization(session, slug="acme", name="Acme")
    replace_plan(session, org=org, plan=_plan())
    session.commit()

    def refused(*_: object) -> None:
        raise AssertionError("the other database's read")

    other = "_actuals_by_rows" if backend == "sqlite" else "_sqlite_actuals"
    monkeypatch.setattr(plan_load, other, refused)
    assert load_plan(session, org=org) == _plan()


def test_an_action_row_keeps_its_types(session: Session) -> None:
    from hoshin.domain.model import Action, Risk

    org = create_organization(session, slug="acme", name="Acme")
    action = Action(
        "A1", "Do", owner="p1", start=date(2026, 2, 3), due=date(2026, 3, 4), done=True,
        risks=(Risk("late", "hire", "no one", "high"),),
    )  # fmt: skip
    plan = Plan(Organization("Acme"), people=(Person("p1", "P One"),), actions=(action,))
    replace_plan(session, org=org, plan=plan)
    session.commit()
    loaded = load_plan(session, org=org).actions[0]
    assert loaded == action
    assert loaded.done is True and type(loaded.start) is date and loaded.risks == action.risks
