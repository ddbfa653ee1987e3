"""The alignment map's index: supporters with weights, findings, filters, paths up."""

from __future__ import annotations

from pathlib import Path

from domain_factories import analysis_of, make_metric, make_objective, make_plan

from hoshin.domain.alignment import AlignmentIndex, alignment_index, matching, path_up
from hoshin.domain.model import Plan
from hoshin.planfile.reader import read_plan

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"


def index_of(plan: Plan) -> AlignmentIndex:
    """The index of ``plan`` from its analysis at 2026-06-15, as the page builds it."""
    analysis = analysis_of(plan)
    statuses = {key: result.status for key, result in analysis.objectives.items()}
    return alignment_index(plan, statuses, analysis.findings)


def test_small_plan_tree_filters_and_paths() -> None:
    """examples/small.yaml at 2026-06-15: B1 <- A1 (weight 1, ``supports: [B1]``) <- T1
    (weight 1). Statuses (tests/web/test_pages.py): B1 and A1 amber, T1 red. Ben owns A1
    and T1, both of unit ward-a. Its only finding is infeasible_schedule: nothing flagged.
    """
    index = index_of(read_plan(SMALL))
    assert index.roots == ("B1",)
    assert index.children == {"B1": [("A1", 1.0)], "A1": [("T1", 1.0)], "T1": []}
    assert index.flags == {}
    assert index.flagged == {"orphan": (), "not_deployed": (), "unmeasured": ()}
    assert matching(index, {"owner": "ben"}) == ["A1", "T1"]
    assert matching(index, {"owner": "ben", "status": "red"}) == ["T1"]
    assert matching(index, {"status": "amber", "unit": "ward-a"}) == ["A1"]
    assert matching(index, {"level": "breakthrough", "owner": "ben"}) == []
    assert matching(index, {"owner": "nobody"}) == []
    assert matching(index, {"owner": "", "unit": ""}) == ["B1", "A1", "T1"]
    assert path_up(index, "T1") == ["B1", "A1", "T1"]
    assert path_up(index, "B1") == ["B1"]


def out_of_line() -> Plan:
    """B1 (measured) <- A1 (weight 2, measured) and A2 (weight 1, no metric, nothing under
    it); B2: no metric, no annual objective supports it; O1: annual, measured, supports
    nothing; T2: team, measured, supports O1 (0.5) and A1 (1.5)."""
    return make_plan(
        objectives=(
            make_objective(id="B1", level="breakthrough", metrics=(make_metric(id="m1"),)),
            make_objective(id="B2", level="breakthrough"),
            make_objective(id="A1", supports={"B1": 2.0}, metrics=(make_metric(id="mA"),)),
            make_objective(id="A2", supports={"B1": 1.0}),
            make_objective(id="O1", metrics=(make_metric(id="mO"),)),
            make_objective(id="T2", level="team", supports={"O1": 0.5, "A1": 1.5},
                           metrics=(make_metric(id="mT"),)),
        ),
    )  # fmt: skip


def test_findings_flag_orphans_undeployed_and_unmeasured() -> None:
    """The engine's findings, read not recomputed: O1 is the orphan (annual, supports
    nothing); B2 is not deployed (no annual objective supports it) and neither is A2
    (nothing supports it, no action serves it); B2 and A2 have no metric and no measured
    supporter: unmeasured. O1 is supported by T2, so it is deployed."""
    index = index_of(out_of_line())
    assert index.flagged == {
        "orphan": ("O1",),
        "not_deployed": ("B2", "A2"),
        "unmeasured": ("B2", "A2"),
    }
    assert index.flags == {
        "O1": ("orphan",),
        "B2": ("not_deployed", "unmeasured"),
        "A2": ("not_deployed", "unmeasured"),
    }
    assert matching(index, {"finding": "not_deployed", "level": "annual"}) == ["A2"]


def test_children_carry_link_weights_and_paths_follow_the_first_link() -> None:
    """B1's supporters in plan order with their weights; T2 supports two objectives, so it
    is a child of both; its path up follows its first link, to O1, which supports
    nothing: the path ends there, not at a breakthrough."""
    index = index_of(out_of_line())
    assert index.roots == ("B1", "B2")
    assert index.children["B1"] == [("A1", 2.0), ("A2", 1.0)]
    assert index.children["A1"] == [("T2", 1.5)]
    assert index.children["O1"] == [("T2", 0.5)]
    assert index.children["B2"] == []
    assert path_up(index, "T2") == ["O1", "T2"]
    assert path_up(index, "A2") == ["B1", "A2"]
