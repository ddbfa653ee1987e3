"""The X-matrix from the plan, worked out by hand for two small plans: its sides, what each
corner marks and how strongly (strong ●, medium ○, weak △), depth, filters and caps."""

from __future__ import annotations

from pathlib import Path

import pytest
from domain_factories import make_action, make_metric, make_objective, make_plan, month

from hoshin.domain.model import Person, Plan, Unit
from hoshin.domain.xmatrix import (
    Caps,
    Choice,
    Depth,
    Entry,
    Priority,
    Side,
    Target,
    XMatrix,
    x_index,
    x_matrix,
)
from hoshin.planfile.reader import read_plan

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
DEC = month("2026-12")  # the end of fiscal year 2026 (fiscal years open in January)


def ids(side: Side[Entry] | Side[Priority] | Side[Target]) -> list[str]:
    """The ids of a side's entries, in order."""
    return [entry.id for entry in side.entries]


def test_small_plan_x_matrix() -> None:
    """examples/small.yaml, through team objectives: south B1; west A1; north, all carrying
    A1: a1 (serves it weakly), a2 (strongly), T1 (a team objective supporting it, medium);
    a3 serves B1 only and is no improvement priority. East: falls (B1's), huddles (A1's,
    moved by a2), trained (T1's own). SE: falls is B1's own; huddles reaches B1 through
    A1 -> B1 (strong); trained through T1 -> A1 (medium) -> B1: its weakest link, medium.
    Far east: ben owns a1, a2 and T1 (ana owns only a3).
    Planned at 2026-12: falls compounds 40 (2025-05) -> 10 (2027-05, half a year): 19 of 24
    months, 40 * 0.25 ** (19 / 24) = 13.35; huddles reached 100 in 2026-10; trained 40 in
    2026-09."""
    x = x_matrix(x_index(read_plan(SMALL)), Choice(DEC))
    assert ids(x.south) == ["B1"] and ids(x.west) == ["A1"]
    assert ids(x.north) == ["a1", "a2", "T1"]
    assert [(p.kind, p.group, p.page) for p in x.north.entries] == [
        ("action", "A1", "A1"), ("action", "A1", "A1"), ("objective", "A1", "T1"),
    ]  # fmt: skip
    assert x.north.entries[0].fte == 0.5  # a1's resources
    assert ids(x.east) == ["falls", "huddles", "trained"]
    planned = [target.planned for target in x.east.entries]
    assert planned == [pytest.approx(40 * 0.25 ** (19 / 24)), 100.0, 40.0]
    assert planned[0] is not None and round(planned[0], 2) == 13.35
    assert [(e.id, e.label) for e in x.far_east.entries] == [("ben", "Ben Ode")]
    assert [side.more for side in (x.south, x.west, x.north, x.east, x.far_east)] == [0] * 5
    assert x.supports == {("A1", "B1"): "strong"}
    assert x.carries == {("a1", "A1"): "weak", ("a2", "A1"): "strong", ("T1", "A1"): "medium"}
    assert x.moves == {("a2", "huddles"): "strong", ("T1", "trained"): "strong"}
    assert x.measures == {
        ("falls", "B1"): "strong", ("huddles", "B1"): "strong", ("trained", "B1"): "medium",
    }  # fmt: skip
    assert x.owns == {("ben", "a1"), ("ben", "a2"), ("ben", "T1")}


def test_direct_depth_is_the_actions_that_serve_an_annual_objective() -> None:
    """Direct only: a1 and a2; T1 and its metric trained leave the matrix."""
    x = x_matrix(x_index(read_plan(SMALL)), Choice(DEC, depth="direct"))
    assert ids(x.north) == ["a1", "a2"]
    assert ids(x.east) == ["falls", "huddles"]
    assert x.carries == {("a1", "A1"): "weak", ("a2", "A1"): "strong"}


def deployed() -> Plan:
    """B1, B2; A1 (unit sales) supports B1 strongly and B2 weakly, A2 (unit ops) supports B2
    medium; team objective T1 (ops) supports A2 strongly and A1 medium; individual
    objective I1 (no unit, owned by p1 of sales) supports T1 weakly. x1 (sales, p1) serves
    A1 and moves mA1 medium; x2 (ops-line, p2) serves T1 medium and moves mA2 medium; x3 (no
    unit, p1) serves I1 and moves mB2 weakly. Units: org > sales, org > ops > ops-line."""
    return make_plan(
        units=(Unit("org", "Org"), Unit("sales", "Sales", "org"), Unit("ops", "Ops", "org"),
               Unit("ops-line", "Line", "ops")),
        people=(Person("p1", "Pat", "sales"), Person("p2", "Sam", "ops")),
        objectives=(
            make_objective(id="B1", level="breakthrough", metrics=(make_metric(id="mB1"),)),
            make_objective(id="B2", level="breakthrough", metrics=(make_metric(id="mB2"),)),
            make_objective(id="A1", unit="sales", supports={"B1": 1.0, "B2": 1.0},
                           supports_strength={"B2": "weak"}, metrics=(make_metric(id="mA1"),)),
            make_objective(id="A2", unit="ops", supports={"B2": 1.0},
                           supports_strength={"B2": "medium"}, metrics=(make_metric(id="mA2"),)),
            make_objective(id="T1", level="team", unit="ops", owner="p2",
                           supports={"A2": 1.0, "A1": 1.0}, supports_strength={"A1": "medium"},
                           metrics=(make_metric(id="mT1"),)),
            make_objective(id="I1", level="individual", supports={"T1": 1.0},
                           supports_strength={"T1": "weak"}),
        ),
        actions=(
            make_action(id="x1", unit="sales", serves=("A1",), moves=("mA1",),
                        moves_strength={"mA1": "medium"}),
            make_action(id="x2", unit="ops-line", owner="p2", serves=("T1",), moves=("mA2",),
                        serves_strength={"T1": "medium"}, moves_strength={"mA2": "medium"}),
            make_action(id="x3", serves=("I1",), moves=("mB2",), moves_strength={"mB2": "weak"}),
        ),
    )  # fmt: skip


def test_the_strongest_chain_through_team_objectives() -> None:
    """Through team objectives, from A1 (strong): x1 serves it (strong); T1 supports it
    (medium) and x2 serves T1 (medium): min(medium, medium) = medium. From A2: T1 supports
    it strongly; x2 through T1: min(strong, medium) = medium. I1 is an individual
    objective: not at this depth. All three are grouped under A1, the first they carry.
    SW: A1 -> B1 strong, A1 -> B2 weak, A2 -> B2 medium. East: mB1, mB2, mA1, mA2, then
    T1's own mT1. SE: mA1 as A1; mT1 through T1 -> A2 -> B2 (min(strong, medium)) or
    T1 -> A1 -> B2 (min(medium, weak)): the stronger, medium; to B1 through A1: medium.
    Far east: p1 (x1), p2 (T1, x2)."""
    x = x_matrix(x_index(deployed()), Choice(DEC))
    assert ids(x.south) == ["B1", "B2"] and ids(x.west) == ["A1", "A2"]
    assert ids(x.north) == ["x1", "T1", "x2"]
    assert {p.group for p in x.north.entries} == {"A1"}
    assert x.carries == {
        ("x1", "A1"): "strong", ("T1", "A1"): "medium", ("T1", "A2"): "strong",
        ("x2", "A1"): "medium", ("x2", "A2"): "medium",
    }  # fmt: skip
    assert x.supports == {("A1", "B1"): "strong", ("A1", "B2"): "weak", ("A2", "B2"): "medium"}
    assert ids(x.east) == ["mB1", "mB2", "mA1", "mA2", "mT1"]
    assert x.moves == {("x1", "mA1"): "medium", ("T1", "mT1"): "strong", ("x2", "mA2"): "medium"}
    assert x.measures == {
        ("mB1", "B1"): "strong", ("mB2", "B2"): "strong", ("mA1", "B1"): "strong",
        ("mA1", "B2"): "weak", ("mA2", "B2"): "medium", ("mT1", "B1"): "medium",
        ("mT1", "B2"): "medium",
    }  # fmt: skip
    assert ids(x.far_east) == ["p1", "p2"]
    assert x.owns == {("p1", "x1"), ("p2", "T1"), ("p2", "x2")}


@pytest.mark.parametrize(
    ("depth", "north"),
    [("direct", ["x1"]), ("team", ["x1", "T1", "x2"]), ("all", ["x1", "T1", "x2", "I1", "x3"])],
)
def test_each_depth_adds_the_level_below(depth: Depth, north: list[str]) -> None:
    """All levels: I1 carries A1 through T1 (min(medium, weak) = weak) and A2 (min(strong,
    weak) = weak); x3 serves I1 strongly, so it carries both weakly too."""
    x = x_matrix(x_index(deployed()), Choice(DEC, depth=depth))
    assert ids(x.north) == north
    if depth == "all":
        assert {pair: x.carries[pair] for pair in x.carries if pair[0] in ("I1", "x3")} == {
            ("I1", "A1"): "weak", ("I1", "A2"): "weak", ("x3", "A1"): "weak",
            ("x3", "A2"): "weak",
        }  # fmt: skip
        assert x.moves[("x3", "mB2")] == "weak"


def test_one_breakthrough_narrows_every_side() -> None:
    """?breakthrough=B1: west A1 only (A2 leads to B2 only); north x1, T1, x2 through A1;
    east mB1, mA1, then T1's mT1 and x2's mA2; mA2 measures B2 only: no mark against B1."""
    x = x_matrix(x_index(deployed()), Choice(DEC, breakthrough="B1"))
    assert ids(x.south) == ["B1"] and ids(x.west) == ["A1"]
    assert ids(x.north) == ["x1", "T1", "x2"]
    assert ids(x.east) == ["mB1", "mA1", "mT1", "mA2"]
    assert x.measures == {("mB1", "B1"): "strong", ("mA1", "B1"): "strong",
                          ("mT1", "B1"): "medium"}  # fmt: skip
    assert set(x.carries) == {("x1", "A1"), ("T1", "A1"), ("x2", "A1")}


def test_a_unit_keeps_its_part_and_what_it_leads_to() -> None:
    """Unit ops: T1 (ops) and x2 (ops-line, below ops), not x1 (sales). West: A1, which they
    carry, and A2, of ops; south: the breakthroughs those reach, B1 and B2. Unit sales, all
    levels: x1, and I1 and x3, which have no unit but an owner of sales (p1); west A1."""
    ops = x_matrix(x_index(deployed()), Choice(DEC, unit="ops"))
    assert ids(ops.north) == ["T1", "x2"]
    assert ids(ops.west) == ["A1", "A2"] and ids(ops.south) == ["B1", "B2"]
    sales = x_matrix(x_index(deployed()), Choice(DEC, unit="sales", depth="all"))
    assert ids(sales.north) == ["x1", "I1", "x3"]
    assert ids(sales.west) == ["A1"]


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (Choice(DEC, breakthrough="A1"), "no breakthrough objective 'A1'"),
        (Choice(DEC, unit="nowhere"), "no unit 'nowhere'"),
    ],
)
def test_an_unknown_choice_is_refused(choice: Choice, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        x_matrix(x_index(deployed()), choice)


def test_each_side_is_capped_and_counts_the_rest() -> None:
    """50 actions serve A1, each owned by its own person and moving its own metric of T1,
    and T1 supports A1: 51 priorities, of which 3 are shown and 48 more. East: A1's mA, then
    the metrics the 3 shown actions move (m0, m1, m2): 3 shown, 1 more. Far east: the owners
    of the shown rows, p0 to p2. Marks exist only between shown entries."""
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
    x: XMatrix = x_matrix(x_index(plan), Choice(DEC), caps=Caps(north=3, east=3, far_east=3))
    assert ids(x.north) == ["x0", "x1", "x2"] and x.north.more == 48
    assert ids(x.east) == ["mA", "m0", "m1"] and x.east.more == 1
    assert ids(x.far_east) == ["p0", "p1", "p2"] and x.far_east.more == 0
    assert x.far_east.entries[0].label == "p0"  # not a person of the plan: its id
    assert x.moves == {("x0", "m0"): "strong", ("x1", "m1"): "strong"}
    assert x.owns == {("p0", "x0"), ("p1", "x1"), ("p2", "x2")}
