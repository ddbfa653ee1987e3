"""The X-matrix from the plan, worked out by hand for two small plans."""

from __future__ import annotations

from pathlib import Path

import pytest
from domain_factories import make_action, make_metric, make_objective, make_plan

from hoshin.domain.model import Person, Plan
from hoshin.domain.xmatrix import Caps, Entry, XMatrix, x_index, x_matrix
from hoshin.planfile.reader import read_plan

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"


def ids(entries: tuple[Entry, ...]) -> list[str]:
    """The ids of a side's entries, in order."""
    return [entry.id for entry in entries]


def test_small_plan_x_matrix() -> None:
    """examples/small.yaml: south B1; west A1 (supports B1); north a1 and a2, which serve
    A1 (a3 serves B1 only: not an improvement priority); east falls (B1's metric) and
    huddles (A1's, also moved by a2; a3 moves falls but is not north); far east ben, who
    owns a1 and a2 (ana owns only a3). SE: falls belongs to B1, huddles rolls up into B1
    through A1. T1's metric trained is on no side: T1 is a team objective and no north
    action moves it.
    """
    x = x_matrix(x_index(read_plan(SMALL)))
    assert ids(x.south.entries) == ["B1"]
    assert ids(x.west.entries) == ["A1"]
    assert ids(x.north.entries) == ["a1", "a2"]
    assert ids(x.east.entries) == ["falls", "huddles"]
    assert x.far_east.entries == (Entry("ben", "Ben Ode"),)
    assert x.east.entries[0].label == "Patient falls per month"
    assert [side.more for side in (x.south, x.west, x.north, x.east, x.far_east)] == [0] * 5
    assert x.supports == {("A1", "B1")}
    assert x.serves == {("a1", "A1"), ("a2", "A1")}
    assert x.moves == {("a2", "huddles")}
    assert x.rolls_up == {("falls", "B1"), ("huddles", "B1")}
    assert x.owns == {("ben", "a1"), ("ben", "a2")}


def many_to_many() -> Plan:
    """Two breakthroughs; A1 supports both, A2 supports B2; team objective T1 supports A2.
    x1 (p1) serves A1 and A2 and moves mA1 and t (T1's metric); x2 (p2) serves A2 and moves
    mB1; x3 (p1) serves T1 only and moves mB2."""
    return make_plan(
        people=(Person(id="p1", name="Pat"), Person(id="p2", name="Sam")),
        objectives=(
            make_objective(id="B1", level="breakthrough", metrics=(make_metric(id="mB1"),)),
            make_objective(id="B2", level="breakthrough", metrics=(make_metric(id="mB2"),)),
            make_objective(id="A1", supports={"B1": 1.0, "B2": 2.0},
                           metrics=(make_metric(id="mA1"),)),
            make_objective(id="A2", supports={"B2": 1.0}, metrics=(make_metric(id="mA2"),)),
            make_objective(id="T1", level="team", supports={"A2": 1.0},
                           metrics=(make_metric(id="t"),)),
        ),
        actions=(
            make_action(id="x1", owner="p1", serves=("A1", "A2"), moves=("mA1", "t")),
            make_action(id="x2", owner="p2", serves=("A2",), moves=("mB1",)),
            make_action(id="x3", owner="p1", serves=("T1",), moves=("mB2",)),
        ),
    )  # fmt: skip


def test_many_to_many_x_matrix() -> None:
    """East: the metrics of B1, B2, A1, A2, then t (moved by x1); x3 serves no annual
    objective, so it is not north and mB2 comes in only as B2's metric.
    SE: mA1 rolls up into both (A1 supports both); mA2 into B2; t into B2 (T1 -> A2 -> B2).
    Far east: p1 owns x1 (x3 is not shown), p2 owns x2.
    """
    x = x_matrix(x_index(many_to_many()))
    assert ids(x.south.entries) == ["B1", "B2"]
    assert ids(x.west.entries) == ["A1", "A2"]
    assert ids(x.north.entries) == ["x1", "x2"]
    assert ids(x.east.entries) == ["mB1", "mB2", "mA1", "mA2", "t"]
    assert ids(x.far_east.entries) == ["p1", "p2"]
    assert x.supports == {("A1", "B1"), ("A1", "B2"), ("A2", "B2")}
    assert x.serves == {("x1", "A1"), ("x1", "A2"), ("x2", "A2")}
    assert x.moves == {("x1", "mA1"), ("x1", "t"), ("x2", "mB1")}
    assert x.rolls_up == {
        ("mB1", "B1"), ("mB2", "B2"), ("mA1", "B1"), ("mA1", "B2"), ("mA2", "B2"), ("t", "B2"),
    }  # fmt: skip
    assert x.owns == {("p1", "x1"), ("p2", "x2")}


def test_one_breakthrough_narrows_every_side() -> None:
    """?breakthrough=B1: south B1; west the annual objectives that lead to B1: A1 only;
    north x1 (serves A1); east mB1, mA1 and t (moved by x1); t rolls up into B2 only, so
    it has no mark against B1; far east p1."""
    x = x_matrix(x_index(many_to_many()), breakthrough="B1")
    assert ids(x.south.entries) == ["B1"]
    assert ids(x.west.entries) == ["A1"]
    assert ids(x.north.entries) == ["x1"]
    assert ids(x.east.entries) == ["mB1", "mA1", "t"]
    assert ids(x.far_east.entries) == ["p1"]
    assert x.supports == {("A1", "B1")}
    assert x.serves == {("x1", "A1")}
    assert x.moves == {("x1", "mA1"), ("x1", "t")}
    assert x.rolls_up == {("mB1", "B1"), ("mA1", "B1")}
    assert x.owns == {("p1", "x1")}


def test_unknown_breakthrough_is_refused() -> None:
    """A1 is an annual objective, not a breakthrough."""
    with pytest.raises(ValueError, match="no breakthrough objective 'A1'"):
        x_matrix(x_index(many_to_many()), breakthrough="A1")


def test_each_side_is_capped_and_counts_the_rest() -> None:
    """50 actions serve A1, each owned by its own person and moving its own metric of T1:
    with caps of 3 the sides show 3 and say how many more: 47 actions, 51 - 3 = 48 metrics
    (A1's own and the 50 moved), 47 owners. Marks exist only between shown entries."""
    metrics = tuple(make_metric(id=f"m{k}") for k in range(50))
    plan = make_plan(
        objectives=(
            make_objective(id="B1", level="breakthrough"),
            make_objective(id="A1", supports={"B1": 1.0}, metrics=(make_metric(id="mA"),)),
            make_objective(id="T1", level="team", supports={"A1": 1.0}, metrics=metrics),
        ),
        actions=tuple(
            make_action(id=f"x{k}", owner=f"p{k}", serves=("A1",), moves=(f"m{k}",))
            for k in range(50)
        ),
    )
    x: XMatrix = x_matrix(x_index(plan), caps=Caps(north=3, east=3, far_east=3))
    assert ids(x.north.entries) == ["x0", "x1", "x2"] and x.north.more == 47
    assert ids(x.east.entries) == ["mA", "m0", "m1"] and x.east.more == 48
    assert ids(x.far_east.entries) == ["p0", "p1", "p2"] and x.far_east.more == 47
    assert x.far_east.entries[0].label == "p0"  # not a person of the plan: its id
    assert x.moves == {("x0", "m0"), ("x1", "m1")}
    assert x.owns == {("p0", "x0"), ("p1", "x1"), ("p2", "x2")}
