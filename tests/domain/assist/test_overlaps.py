"""Overlaps: planted duplicates and non-duplicates in spaces of hand-made vectors, the
metrics' gates, the numbers, the compact report of identical texts, the cap."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.assist.overlaps import (
    LEXICAL_THRESHOLD,
    THRESHOLD,
    default_threshold,
    find_overlaps,
    scan_overlaps,
)
from hoshin.domain.assist.space import Space, space_of
from hoshin.domain.assist.words import metric_text, objective_text
from hoshin.domain.model import Metric, Objective, Organization, Person, Plan, Unit

UNITS = (Unit("q", "Quality"), Unit("s", "Sales"), Unit("o", "Operations"), Unit("f", "Finance"))
PEOPLE = (Person("ben", "Ben", "q"), Person("cy", "Cy", "s"), Person("dee", "Dee", "o"))


def plan_of(*objectives: Objective) -> Plan:
    return Plan(Organization("Pumps"), units=UNITS, people=PEOPLE, objectives=objectives)


def hand_space(vectors: dict[str, list[float]], name: str = "model") -> Space:
    """A space of hand-made vectors (made unit here), so that every cosine is exact."""
    texts = list(vectors)
    matrix = np.array([vectors[t] for t in texts], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return space_of(texts, matrix, name)


def team(key: str, title: str, unit: str | None, owner: str | None, **more: object) -> Objective:
    return Objective(key, title, "team", owner=owner, unit=unit, **more)  # type: ignore[arg-type]


def test_planted_duplicates_in_other_hands_and_a_near_miss() -> None:
    t1 = team("T1", "Cut scrap", "q", "ben")
    t2 = team("T2", "Throw away less material", "s", "cy")
    t3 = team("T3", "Scrap down 40%", "q", "ben")  # Ben's own second objective
    t4 = team("T4", "Hire welders", "o", "dee")
    space = hand_space(
        {
            "Cut scrap": [1, 0, 0],
            "Throw away less material": [0.8, 0.6, 0],  # T1: 0.8
            "Scrap down 40%": [0.9, 0, 0.43589],  # T1: 0.9 (same hands), T2: 0.72
            "Hire welders": [0, 0, 1],  # T3: 0.43589, below 0.65
        }
    )
    scan = scan_overlaps(plan_of(t1, t2, t3, t4), space)
    assert scan.threshold == THRESHOLD == 0.65
    assert [(o.first, o.second, o.similarity) for o in scan.overlaps] == [
        ("T1", "T2", 0.8),
        ("T2", "T3", 0.72),
    ]
    assert scan.total == 2
    first = scan.overlaps[0]
    assert (first.kind, first.first_title, first.second_title) == (
        "objective",
        "Cut scrap",
        "Throw away less material",
    )
    assert first.suggestion == "merge T2 into T1 (same team level, in Quality and in Sales)"


def test_the_objective_more_of_the_plan_supports_is_kept() -> None:
    t1 = team("T1", "Cut scrap", "q", "ben")
    t2 = team("T2", "Less scrap", "s", "cy")
    i1 = Objective("I1", "Sort the scrap bins", "individual", owner="cy", supports={"T2": 1})
    space = hand_space(
        {"Cut scrap": [1, 0], "Less scrap": [0.8, 0.6], "Sort the scrap bins": [0, 1]}
    )
    (overlap,) = find_overlaps(plan_of(t1, t2, i1), space)
    assert (overlap.first, overlap.second) == ("T2", "T1")
    assert overlap.suggestion == "merge T1 into T2 (same team level, in Sales and in Quality)"


def test_levels_apart_and_one_unit_with_two_owners() -> None:
    # A1 and T1 say the same at two levels: no overlap; T1 and T2 share Quality but not
    # their owner: an overlap, named by its owners
    a1 = Objective("A1", "Cut scrap", "annual", owner="ben", unit="q")
    t1 = team("T1", "Cut scrap!", "q", "ben")
    t2 = team("T2", "Cut scrap now", "q", "cy")
    space = hand_space({"Cut scrap": [1, 0], "Cut scrap!": [1, 0], "Cut scrap now": [1, 0.1]})
    (overlap,) = find_overlaps(plan_of(a1, t1, t2), space)
    assert (overlap.first, overlap.second) == ("T1", "T2")
    assert overlap.suggestion.endswith("(same team level, held by Ben and by Cy)")


def test_identical_texts_pair_with_their_first_holder_only() -> None:
    # five teams with one title: T2 is Ben's repeat (no overlap); T3, T4, T5 each merge
    # into T1: 3 pairs, not the 10 - 4 = 6 pairs of every two of other hands
    owners = [("q", "ben"), ("q", "ben"), ("s", "cy"), ("o", "dee"), ("f", None)]
    teams = [team(f"T{k}", "Cut scrap", u, o) for k, (u, o) in enumerate(owners, 1)]
    scan = scan_overlaps(plan_of(*teams), hand_space({"Cut scrap": [1, 0]}))
    assert [(o.first, o.second, o.similarity) for o in scan.overlaps] == [
        ("T1", "T3", 1.0),
        ("T1", "T4", 1.0),
        ("T1", "T5", 1.0),
    ]
    assert scan.total == 3


def test_objectives_without_owner_or_unit_are_each_their_own_hands() -> None:
    t1, t2 = team("T1", "Cut scrap", None, None), team("T2", "Cut scrap", None, None)
    (overlap,) = find_overlaps(plan_of(t1, t2), hand_space({"Cut scrap": [1, 0]}))
    assert overlap.suggestion == "merge T2 into T1 (same team level, held by nobody and by nobody)"


def scrap(key: str, direction: str = "decrease", unit: str | None = "%") -> Metric:
    return Metric(key, "Scrap", direction=direction, unit=unit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("unit", "pairs"), [("EUR k", [("m1", "m2")]), (None, [("m1", "m2"), ("m1", "m4")])]
)
def test_metrics_are_read_with_their_objective_and_must_measure_alike(
    unit: str | None, pairs: list[tuple[str, str]]
) -> None:
    # Objective vectors a = e1, b = 0.6 e1 + 0.8 e2, c = 0.6 e1 + 0.8 e3, d = 0.6 e1 - 0.8 e2
    # (objectives' cosines 0.6, 0.6, 0.36, 0.6, -0.28, 0.36: none overlaps); each metric's
    # row is its text's (e0) plus its objective's, made unit: cos = (1 + objectives') / 2.
    # m1-m2 0.8 (both decrease, %); m1-m3 0.8 but m3 increases; m1-m4 0.8: m4 counts EUR k
    # (apart) or has no unit (alike); m2-m4 (1 - 0.28) / 2 = 0.36; m3-m4 0.68, m3 increases
    o1 = team("O1", "Alpha", "q", "ben", metrics=(scrap("m1"),))
    o2 = team("O2", "Beta", "s", "cy", metrics=(scrap("m2"),))
    o3 = team("O3", "Gamma", "o", "dee", metrics=(scrap("m3", "increase"),))
    o4 = team("O4", "Delta", "f", None, metrics=(scrap("m4", unit=unit),))
    plan = plan_of(o1, o2, o3, o4)
    vectors: dict[str, list[float]] = {
        metric_text(scrap("m")): [1, 0, 0, 0],
        metric_text(scrap("m", unit=unit)): [1, 0, 0, 0],
        objective_text(o1): [0, 1, 0, 0],
        objective_text(o2): [0, 0.6, 0.8, 0],
        objective_text(o3): [0, 0.6, 0, 0.8],
        objective_text(o4): [0, 0.6, -0.8, 0],
    }
    found = find_overlaps(plan, hand_space(vectors))
    assert [(o.first, o.second) for o in found] == pairs
    assert all(o.kind == "metric" and o.similarity == 0.8 for o in found)
    assert found[0].suggestion == (
        "share the metric m1 'Scrap' between O1 and O2 instead of m2 (in Quality and in Sales)"
    )


def test_the_list_is_capped_and_the_total_counted() -> None:
    # five teams in five hands, every two at cosine 0.9: 10 pairs, the best 3 listed
    units = [("q", "ben"), ("s", "cy"), ("o", "dee"), ("f", None), (None, "zed")]
    teams = [team(f"T{k}", f"Scrap {k}", u, o) for k, (u, o) in enumerate(units)]
    gram = np.full((5, 5), 0.9) + 0.1 * np.eye(5)
    root = np.linalg.cholesky(gram)  # rows whose dot products are the gram matrix
    space = space_of([t.title for t in teams], root.astype(np.float32))
    scan = scan_overlaps(plan_of(*teams), space, limit=3)
    assert len(scan.overlaps) == 3 and scan.total == 10
    assert all(o.similarity == pytest.approx(0.9, abs=1e-4) for o in scan.overlaps)


def test_each_space_has_its_threshold() -> None:
    assert default_threshold(hand_space({"a": [1.0]})) == THRESHOLD
    assert default_threshold(hand_space({"a": [1.0]}, "lexical")) == LEXICAL_THRESHOLD
    t1, t2 = team("T1", "Cut scrap", "q", "ben"), team("T2", "Less scrap", "s", "cy")
    space = hand_space({"Cut scrap": [1, 0], "Less scrap": [0.5, 0.866]}, "lexical")  # 0.5
    assert len(find_overlaps(plan_of(t1, t2), space)) == 1  # 0.5 >= 0.35
    assert find_overlaps(plan_of(t1, t2), space, threshold=0.6) == []


def counted(key: str, baseline: float | None, target: float | None) -> Metric:
    return Metric(key, key, direction="decrease", unit="%", baseline=baseline, target=target)


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        # numbers that agree (18 -> 9 and 17 -> 8: gaps 1/18 = 0.056 and 1/9 = 0.11, within
        # 0.15): 0.55 >= 0.65 - 0.15 = 0.50, reported, and the suggestion says so
        (
            ((18, 9), (17, 8)),
            "merge T2 into T1 (same team level, in Quality and in Sales; from 18 to 9 and "
            "from 17 to 8)",
        ),
        # unknown numbers: 0.55 < 0.65, not reported
        (((None, None), (17, 8)), None),
        # gaps 0.3 and 0.3: neither agreeing nor far apart, 0.55 < 0.65
        (((10, 10), (7, 7)), None),
    ],
)
def test_headline_numbers_that_agree_lower_the_bar(
    numbers: tuple[tuple[float | None, float | None], ...], expected: str | None
) -> None:
    (b1, t1), (b2, t2) = numbers
    o1 = team("T1", "Cut falls", "q", "ben", metrics=(counted("f1", b1, t1),))
    o2 = team("T2", "Fewer patients on the floor", "s", "cy", metrics=(counted("f2", b2, t2),))
    vectors: dict[str, list[float]] = {
        objective_text(o1): [1, 0, 0],
        objective_text(o2): [0.55, 0.83516, 0],  # cosine 0.55
        "f1 (%)": [0, 0, 1],
        "f2 (%)": [0, 0, -1],  # the metrics' rows: (1, 0, 1) and (0.55, 0.835, -1), apart
    }
    found = [
        o for o in find_overlaps(plan_of(o1, o2), hand_space(vectors)) if o.kind == "objective"
    ]
    assert [o.suggestion for o in found] == ([expected] if expected else [])


def test_far_apart_numbers_raise_the_bar() -> None:
    # cosine 0.7 >= 0.65 but baselines 100 and 10 (gap 0.9 beyond 0.5): 0.7 < 0.65 + 0.1
    o1 = team("T1", "Cut falls", "q", "ben", metrics=(counted("f1", 100, 50),))
    o2 = team("T2", "Fewer falls", "s", "cy", metrics=(counted("f2", 10, 5),))
    vectors: dict[str, list[float]] = {
        objective_text(o1): [1, 0, 0],
        objective_text(o2): [0.7, 0.71414, 0],
        "f1 (%)": [0, 0, 1],
        "f2 (%)": [0, 1, 0],
    }
    assert find_overlaps(plan_of(o1, o2), hand_space(vectors)) == []
    assert len(find_overlaps(plan_of(o1, o2), hand_space(vectors), threshold=0.6)) == 1


def test_headline_numbers_of_other_units_say_nothing() -> None:
    # 18 -> 9 in % and 18 -> 9 in days: no lower bar; the same in a unit left out: lower
    o1 = team("T1", "Cut falls", "q", "ben", metrics=(counted("f1", 18, 9),))
    days = Metric("f2", "f2", direction="decrease", unit="days", baseline=18, target=9)
    plain = Metric("f2", "f2", direction="decrease", baseline=18, target=9)
    for metric, found in ((days, 0), (plain, 1)):
        o2 = team("T2", "Fewer patients on the floor", "s", "cy", metrics=(metric,))
        vectors: dict[str, list[float]] = {
            objective_text(o1): [1, 0, 0],
            objective_text(o2): [0.55, 0.83516, 0],
            "f1 (%)": [0, 0, 1],
            metric_text(metric): [0, 0, -1],
        }
        assert len(find_overlaps(plan_of(o1, o2), hand_space(vectors))) == found
