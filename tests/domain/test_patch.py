"""A plan patched with the entities a change touched, and its interim analysis: the same
metrics, roll-ups, schedules and status counts as analysing the changed plan again."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.demo.plan import demo_plan
from hoshin.domain.analysis import Analysis, analyze
from hoshin.domain.links import Links, links_of
from hoshin.domain.model import Action, Objective, Person, Plan, Unit, Vision
from hoshin.domain.months import Month
from hoshin.domain.patch import Edited, PlanPatch, interim_analysis, patched, referrers
from hoshin.planfile import read_plan

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
MID_JUNE = date(2026, 6, 15)
DEMO = demo_plan(MID_JUNE)
Items = tuple[Objective, ...] | tuple[Action, ...]


def patch_between(old: Plan, new: Plan) -> PlanPatch:
    """What a store read-back gives for the change from ``old`` to ``new``: every objective
    and action that differs, None for one that is gone."""

    def differing(before: Items, after: Items) -> dict[str, object]:
        was = {item.id: item for item in before}
        now = {item.id: item for item in after}
        changed: dict[str, object] = {key: None for key in was if key not in now}
        changed |= {key: item for key, item in now.items() if was.get(key) != item}
        return changed

    return PlanPatch(
        objectives=differing(old.objectives, new.objectives),  # type: ignore[arg-type]
        actions=differing(old.actions, new.actions),  # type: ignore[arg-type]
        vision=None if new.vision == old.vision else new.vision,
    )


def interim_of(plan: Plan, patch: PlanPatch) -> tuple[Analysis, Plan]:
    """The interim analysis after ``patch``, and the patched plan."""
    links = links_of(plan)
    new, new_links = patched(plan, links, patch)
    edited = Edited(plan, links, new, new_links, patch)
    return interim_analysis(analyze(plan, MID_JUNE), edited), new


def assert_same_links(got: Links, plan: Plan) -> None:
    """The links brought up to date hold the same links as those made afresh (each
    objective's supporters and each action's in any order)."""
    fresh = links_of(plan)
    assert got.objective_at == fresh.objective_at and got.action_at == fresh.action_at
    for name in ("supporters", "serving", "required_by"):
        mine, theirs = getattr(got, name), getattr(fresh, name)
        assert {k: sorted(v) for k, v in mine.items() if v} == {
            k: sorted(v) for k, v in theirs.items()
        }, name


def assert_same_figures(interim: Analysis, full: Analysis) -> None:
    """Metrics, schedules and counts exactly; roll-ups by status and to 1e-9 (the interim
    sums a parent's supporters in another order)."""
    assert interim.metrics == full.metrics
    assert interim.actions == full.actions
    assert interim.schedules == full.schedules
    assert interim.summary.by_status == full.summary.by_status
    assert interim.summary.objectives == full.summary.objectives
    assert interim.objectives.keys() == full.objectives.keys()
    for key, result in full.objectives.items():
        got = interim.objectives[key]
        assert (got.level, got.status) == (result.level, result.status), key
        assert got.progress == pytest.approx(result.progress, abs=1e-9)
        assert got.planned_progress == pytest.approx(result.planned_progress, abs=1e-9)


def test_patched_replaces_in_place_removes_and_appends_at_the_end() -> None:
    renamed = replace(SMALL.objectives[0], title="Fewer falls")
    new = Objective("T9", "Run a falls clinic", "team", supports={"A1": 1.0})
    patch = PlanPatch(
        objectives={"B1": renamed, "T1": None, "T9": new},
        units={"ward-b": Unit("ward-b", "Ward B", "clinic")},
        vision=Vision("Zero harm", "Safe care", 2031),
    )
    plan, links = patched(SMALL, links_of(SMALL), patch)
    assert_same_links(links, plan)
    assert [o.id for o in plan.objectives] == ["B1", "A1", "T9"]
    assert plan.objectives[0].title == "Fewer falls"
    assert [u.id for u in plan.units] == ["clinic", "ward-a", "ward-b"]
    assert plan.vision.horizon == 2031
    assert plan.actions is SMALL.actions  # untouched sections are shared, not copied
    assert patch.gone() == {"T1"}


def test_what_refers_to_a_deleted_objective_is_read_back_too() -> None:
    """a1 serves A1; T1 supports A1; no countermeasure answers A1's metric huddles."""
    found = referrers(SMALL, {"A1"})
    assert found["objective"] == {"T1"}
    assert "a1" in found["action"]
    assert found["countermeasure"] == set()


def test_a_june_figure_entered_on_the_objective_turns_t1_and_those_above() -> None:
    """The example of tests/domain/test_incremental.py, as an edit of T1's metric instead
    of a check-in: trained = 25 in June is on plan (planned 25 of 40: 0.625 | 0.625),
    T1 green; A1 = (0.6 + 0.625) / 2 = 0.6125 against 0.5625: green; B1 = (0.6 + 0.6125)
    / 2 = 0.60625 against 0.61458: amber."""
    t1 = SMALL.objectives[2]
    trained = t1.metrics[0]
    actuals = {**trained.actuals, Month.of(2026, 6): 25.0}
    edited = replace(t1, metrics=(replace(trained, actuals=actuals),))
    interim, new = interim_of(SMALL, PlanPatch(objectives={"T1": edited}))
    assert [interim.objectives[k].status for k in ("T1", "A1", "B1")] == ["green", "green", "amber"]
    assert interim.objectives["A1"].progress == pytest.approx(0.6125)
    assert interim.objectives["B1"].progress == pytest.approx(0.60625)
    assert_same_figures(interim, analyze(new, MID_JUNE))


def test_a_later_due_date_moves_the_chain_it_ends() -> None:
    action = DEMO.actions[0]
    due = (action.due or MID_JUNE) + timedelta(days=40)
    new = replace(DEMO, actions=(replace(action, due=due), *DEMO.actions[1:]))
    interim, patched_plan = interim_of(DEMO, patch_between(DEMO, new))
    assert patched_plan == new
    assert_same_figures(interim, analyze(new, MID_JUNE))


def edited(plan: Plan, choice: int, pick: int) -> Plan:
    """One structural edit of the demo plan, as a person makes it in a form, and what the
    store does to the links of what it deletes."""
    objectives = list(plan.objectives)
    target = objectives[pick % len(objectives)]
    below = [o for o in objectives if o.level != "breakthrough"]
    if choice == 0:  # rename
        objectives[objectives.index(target)] = replace(target, title=target.title + " (new)")
    elif choice == 1 and below:  # move a supports link to another objective of the level above
        child = below[pick % len(below)]
        level = ("breakthrough", "annual", "team", "individual").index(child.level) - 1
        parents = [o.id for o in objectives if o.level == ("breakthrough", "annual", "team")[level]]
        parent = parents[(pick // 7) % len(parents)]
        objectives[objectives.index(child)] = replace(child, supports={parent: 2.0})
    elif choice == 2:  # a later end: the deadline of the actions serving it moves
        end = (target.end or Month.of(2026, 12)) + 3
        objectives[objectives.index(target)] = replace(target, end=end)
    elif choice == 3 and all(o.id != f"N{pick}" for o in objectives):  # a new objective
        metrics = tuple(replace(m, id=f"N{pick}{m.id}") for m in target.metrics)
        new = Objective(f"N{pick}", "A new one", "team", supports={target.id: 1.0}, metrics=metrics)
        objectives.append(new)
    elif choice == 4 and below:  # delete an objective: its links go with it
        gone = below[pick % len(below)].id
        gone_metrics = {m.id for o in objectives if o.id == gone for m in o.metrics}
        objectives = [
            replace(o, supports={k: w for k, w in o.supports.items() if k != gone})
            if gone in o.supports
            else o
            for o in objectives
            if o.id != gone
        ]
        actions = tuple(
            replace(
                a,
                serves=tuple(s for s in a.serves if s != gone),
                moves=tuple(m for m in a.moves if m not in gone_metrics),
            )
            for a in plan.actions
        )
        answered = tuple(c for c in plan.countermeasures if c.metric not in gone_metrics)
        return replace(
            plan, objectives=tuple(objectives), actions=actions, countermeasures=answered
        )
    else:  # an action takes longer
        longer = list(plan.actions)
        action = longer[pick % len(longer)]
        longer[pick % len(longer)] = replace(action, duration_days=(action.duration_days or 5) + 9)
        return replace(plan, actions=tuple(longer))
    return replace(plan, objectives=tuple(objectives))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 10_000)), min_size=1, max_size=3))
def test_the_interim_analysis_has_the_figures_of_a_full_one(edits: list[tuple[int, int]]) -> None:
    plan, links, analysis = DEMO, links_of(DEMO), analyze(DEMO, MID_JUNE)
    for choice, pick in edits:
        new = edited(plan, choice, pick)
        patch = patch_between(plan, new)
        got, new_links = patched(plan, links, patch)
        assert got.objectives == new.objectives and got.actions == new.actions
        assert_same_links(new_links, new)
        analysis = interim_analysis(analysis, Edited(plan, links, new, new_links, patch))
        plan, links = new, new_links
        assert_same_figures(analysis, analyze(plan, MID_JUNE))


def test_many_changes_to_a_section_are_placed_like_a_few() -> None:
    """20 people changed at once (more than FEW: found through a map of places): ana
    renamed, ben gone, p0..p17 new at the end in the order given."""
    people: dict[str, Person | None] = {"ana": Person("ana", "Ana L."), "ben": None}
    people |= {f"p{n}": Person(f"p{n}", f"Person {n}") for n in range(18)}
    plan, _ = patched(SMALL, links_of(SMALL), PlanPatch(people=people))
    assert [p.id for p in plan.people] == ["ana", *(f"p{n}" for n in range(18))]
    assert plan.people[0].name == "Ana L."
