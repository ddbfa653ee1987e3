"""metric_owner and unit_leads: who enters a metric's actuals, and whom a unit escalates to."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.domain.model import Metric, Objective, Unit
from hoshin.domain.responsible import (
    escalation_chains,
    metric_owner,
    unit_leads,
    units_by_id,
)


def test_a_metric_with_its_own_owner_is_theirs() -> None:
    objective = Objective("b1", "Cut defects", "breakthrough", owner="ceo")
    metric = Metric("defects", "Defect rate", owner="quality-engineer")
    assert metric_owner(metric, objective) == "quality-engineer"


def test_a_metric_without_an_owner_falls_back_to_its_objectives() -> None:
    objective = Objective("b1", "Cut defects", "breakthrough", owner="ceo")
    assert metric_owner(Metric("defects", "Defect rate"), objective) == "ceo"


def test_a_metric_of_an_objective_without_an_owner_has_none() -> None:
    objective = Objective("b1", "Cut defects", "breakthrough")
    assert metric_owner(Metric("defects", "Defect rate"), objective) is None


# A company of six units (lead in brackets):
#   exec [ceo]
#   ├── ops [coo]
#   │   ├── machining [—]
#   │   │   └── cell-1 [setter]
#   │   └── assembly [coo]     (the COO leads assembly as well)
#   └── quality [—]
COMPANY = (
    Unit("exec", "Executive team", lead="ceo"),
    Unit("ops", "Operations", "exec", lead="coo"),
    Unit("machining", "Machining", "ops"),
    Unit("cell-1", "Cell 1", "machining", lead="setter"),
    Unit("assembly", "Assembly", "ops", lead="coo"),
    Unit("quality", "Quality", "exec"),
)


@pytest.mark.parametrize(
    ("unit", "leads"),
    [
        # its own lead, then the leads above it in order
        ("exec", ("ceo",)),
        ("ops", ("coo", "ceo")),
        # no lead of its own: the nearest ancestor's (ops: coo) is the first level
        ("machining", ("coo", "ceo")),
        # cell-1's setter, then machining has none (skipped), then ops' coo, exec's ceo
        ("cell-1", ("setter", "coo", "ceo")),
        # assembly's coo, ops' coo again (a duplicate: skipped), exec's ceo
        ("assembly", ("coo", "ceo")),
        # quality has no lead: exec's ceo at once
        ("quality", ("ceo",)),
        # no unit, or one the plan does not have: nobody
        (None, ()),
        ("nowhere", ()),
    ],
)
def test_unit_leads_go_up_the_units(unit: str | None, leads: tuple[str, ...]) -> None:
    assert unit_leads(COMPANY, unit) == leads
    assert unit_leads(units_by_id(COMPANY), unit) == leads


def test_a_unit_chain_without_any_lead_is_empty() -> None:
    units = (Unit("a", "A"), Unit("b", "B", "a"))
    assert unit_leads(units, "b") == ()


def test_a_lead_met_again_higher_up_keeps_the_nearer_place() -> None:
    # team [x] -> dept [y] -> top [x]: x is the first level, y the second; x is not repeated
    units = (Unit("top", "Top", lead="x"), Unit("dept", "Dept", "top", lead="y"),
             Unit("team", "Team", "dept", lead="x"))  # fmt: skip
    assert unit_leads(units, "team") == ("x", "y")
    assert escalation_chains(units)["team"] == ("x", "y")


def test_a_cycle_of_parents_ends_the_chain() -> None:
    # a -> b -> a (the plan's rules refuse it; the helper must still stop)
    units = (Unit("a", "A", "b", lead="p"), Unit("b", "B", "a", lead="q"))
    assert unit_leads(units, "a") == ("p", "q")


def test_escalation_chains_give_every_units_chain() -> None:
    assert escalation_chains(COMPANY) == {
        "exec": ("ceo",),
        "ops": ("coo", "ceo"),
        "machining": ("coo", "ceo"),
        "cell-1": ("setter", "coo", "ceo"),
        "assembly": ("coo", "ceo"),
        "quality": ("ceo",),
    }


@st.composite
def trees(draw: st.DrawFn) -> tuple[Unit, ...]:
    """Units u0..un, each with a parent among those before it (a tree) and maybe a lead."""
    count = draw(st.integers(1, 12))
    units = []
    for i in range(count):
        parent = draw(st.none() | st.integers(0, i - 1).map(lambda p: f"u{p}")) if i else None
        lead = draw(st.none() | st.sampled_from(["p", "q", "r", "s"]))
        units.append(Unit(f"u{i}", f"Unit {i}", parent, lead))
    return tuple(units)


@given(trees())
def test_escalation_chains_agree_with_unit_leads(units: tuple[Unit, ...]) -> None:
    chains = escalation_chains(units)
    assert chains == {unit.id: unit_leads(units, unit.id) for unit in units}
    for chain in chains.values():
        assert len(set(chain)) == len(chain)
