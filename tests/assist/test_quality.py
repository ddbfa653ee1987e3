"""The assistant's quality on the labelled set, with the shipped model: a floor under what
`python -m bench.assist_quality` measures (BENCHMARKS.md), every draft sentence read exactly
as truth.yaml works it out by hand, and the set itself sound (valid plans, known ids)."""

from __future__ import annotations

import json
from functools import cache

import pytest
from typer.testing import CliRunner

from assist.quality import (
    HERE,
    DraftCase,
    Overlaps,
    Parents,
    PlanTruth,
    draft_mismatches,
    labelled_plan,
    load_truth,
    refused,
    score_overlaps,
    score_parents,
)
from hoshin.cli import app
from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.parents import LEVEL_ABOVE
from hoshin.domain.assist.words import plan_texts
from hoshin.service.assist.spaces import model_space

TRUTH = load_truth()
PLANS = [labelled.file for labelled in TRUTH.plans]
ASKED = 261  # objectives with a true parent in the four plans: 67 + 69 + 68 + 57


@cache  # read-only results, asked by two tests each
def _parents(space_of: str) -> Parents:
    """Parents' scores over every labelled plan, in the model's or the lexical space."""
    pooled = Parents()
    for labelled in TRUTH.plans:
        plan = labelled_plan(labelled.file)
        texts = plan_texts(plan)
        space = model_space(texts) if space_of == "model" else lexical_space(texts)
        pooled.add(score_parents(plan, space, labelled.duplicates["objective"]))
    return pooled


# --- the set is sound ----------------------------------------------------------------


@pytest.mark.parametrize("name", PLANS)
def test_each_labelled_plan_is_a_valid_plan(name: str) -> None:
    """hoshin check reads it without an error, and its hierarchy is whole: no objective
    supports nothing and every breakthrough and annual objective is deployed."""
    result = CliRunner().invoke(
        app, ["check", str(HERE / name), "--as-of", "2026-06-15", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    codes = {finding["code"] for finding in json.loads(result.stdout)["findings"]}
    assert not codes & {"orphan", "not_deployed"}


@pytest.mark.parametrize("name", PLANS)
def test_true_parents_are_one_level_above(name: str) -> None:
    """The parents' truth is each objective's supports: all of the level right above (the
    only level a suggestion ranks), and every objective below breakthrough has one."""
    plan = labelled_plan(name)
    levels = {o.id: o.level for o in plan.objectives}
    for objective in plan.objectives:
        if objective.level == "breakthrough":
            continue
        assert objective.supports, objective.id
        assert {levels[key] for key in objective.supports} == {LEVEL_ABOVE[objective.level]}


@pytest.mark.parametrize("labelled", TRUTH.plans, ids=PLANS)
def test_truth_names_only_pairs_an_overlap_scan_can_find(labelled: PlanTruth) -> None:
    """Each pair of truth.yaml names two existing objectives (or metrics) of the plan, of
    objectives at one level held by different hands (owner, unit), as the scan compares
    them; no pair is both a duplicate and a near-miss."""
    plan = labelled_plan(labelled.file)
    holder = {o.id: o for o in plan.objectives}
    holder |= {m.id: o for o in plan.objectives for m in o.metrics}
    kinds = {o.id: "objective" for o in plan.objectives}
    kinds |= {m.id: "metric" for o in plan.objectives for m in o.metrics}
    for kind in ("objective", "metric"):
        assert not labelled.duplicates[kind] & labelled.near_misses[kind]
        for pair in labelled.duplicates[kind] | labelled.near_misses[kind]:
            assert len(pair) == 2, pair  # not one id twice
            first, second = sorted(pair)
            assert kinds.get(first) == kind and kinds.get(second) == kind, pair
            a, b = holder[first], holder[second]
            assert a.level == b.level, pair
            assert (a.owner, a.unit) != (b.owner, b.unit), pair


def test_the_set_is_as_large_as_the_issue_asks() -> None:
    """At least 3 plans, each with 4-8 planted duplicate objectives and 2 or more metric
    pairs, and at least 25 draft sentences."""
    assert len(TRUTH.plans) >= 3
    for labelled in TRUTH.plans:
        assert 4 <= len(labelled.duplicates["objective"]) <= 8
        assert len(labelled.duplicates["metric"]) >= 2
    assert len(TRUTH.drafts) >= 25


# --- parents -------------------------------------------------------------------------


def test_parents_with_the_shipped_model_keep_their_floor() -> None:
    """The issue's aim, top-3 >= 0.9 and top-1 >= 0.7: measured 0.93 and 0.72 over the 261
    objectives asked, each without its planted twin (bench.assist_quality); the floor is a
    few objectives below."""
    scores = _parents("model")
    assert scores.asked == ASKED
    assert scores.top3_accuracy >= 0.91, scores.misses
    assert scores.top1_accuracy >= 0.69, scores.misses


def test_the_model_ranks_parents_better_than_the_words_alone() -> None:
    """The model earns its keep: its top-1 beats the lexical baseline's (0.72 to 0.66)."""
    assert _parents("model").first > _parents("lexical").first


# --- overlaps ------------------------------------------------------------------------


@cache
def _overlaps(space_of: str) -> dict[str, Overlaps]:
    """Overlaps' scores over every labelled plan at the space's default threshold."""
    pooled = {"objective": Overlaps(), "metric": Overlaps()}
    for labelled in TRUTH.plans:
        plan = labelled_plan(labelled.file)
        texts = plan_texts(plan)
        space = model_space(texts) if space_of == "model" else lexical_space(texts)
        for kind, score in score_overlaps(plan, labelled, space).items():
            pooled[kind].add(score)
    return pooled


def test_overlaps_with_the_shipped_model_keep_their_floor() -> None:
    """Measured over the four plans (bench.assist_quality): objectives precision 7 of 8
    reported = 0.88 (the issue's aim: 0.8), recall 7 of 26 planted = 0.27; metrics 13 of 17
    = 0.76, recall 13 of 30 = 0.43. The floor is a pair or two below."""
    found = _overlaps("model")
    objectives, metrics = found["objective"], found["metric"]
    assert objectives.precision >= 0.75, objectives.wrong
    assert objectives.recall >= 0.19, objectives.missed
    assert metrics.precision >= 0.70, metrics.wrong
    assert metrics.recall >= 0.35, metrics.missed


def test_the_model_finds_overlaps_more_precisely_than_the_words_alone() -> None:
    """Model against the lexical baseline, each at its default threshold: objectives 0.88
    to 0.46, metrics 0.76 to 0.62."""
    model, lexical = _overlaps("model"), _overlaps("lexical")
    for kind in ("objective", "metric"):
        assert model[kind].precision > lexical[kind].precision, kind


# --- drafts --------------------------------------------------------------------------


@pytest.mark.parametrize("case", TRUTH.drafts, ids=[case.sentence for case in TRUTH.drafts])
def test_each_draft_sentence_is_read_exactly_right(case: DraftCase) -> None:
    """The draft's level, metric and this year's target are those truth.yaml works out."""
    assert draft_mismatches(case) == []


@pytest.mark.parametrize("case", TRUTH.refusals, ids=[c.sentence for c in TRUTH.refusals])
def test_each_sentence_without_a_goal_is_refused(case: DraftCase) -> None:
    assert refused(case)
