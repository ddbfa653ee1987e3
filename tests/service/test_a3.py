"""The A3 report of an objective (service.document.a3), read back with pdfinfo and pdftotext;
the figures of the hand-made plan are worked out in tests/a3_support.py."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path
from typing import Any

import pytest

from a3_support import AS_OF, pdf_info, pdf_text, write_plan
from hoshin.demo.plan import demo_plan
from hoshin.domain.analysis import analyze
from hoshin.domain.model import Action, Countermeasure, Objective, Plan, Risk
from hoshin.domain.months import Month
from hoshin.errors import NotFound
from hoshin.service.document import source
from hoshin.service.document.a3 import (
    ACTIONS_SHOWN,
    COUNTERMEASURES_SHOWN,
    METRICS_SHOWN,
    a3_pdf,
    chains_up,
    chart_size,
    clip,
    review_words,
    trajectory_words,
)

A3_PAGE = "Page size:       1190.55 x 841.89 pts (A3)"


def printed(tmp_path: Path, plan: Plan, key: str, name: str = "a3.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(a3_pdf(plan, analyze(plan, AS_OF), key))
    return path


def hand_plan(tmp_path: Path) -> Plan:
    return source.of_file(write_plan(tmp_path), as_of=AS_OF).plan


def test_the_a3_of_a_hand_made_objective_is_one_a3_landscape_page_with_its_figures(
    tmp_path: Path,
) -> None:
    path = printed(tmp_path, hand_plan(tmp_path), "A1")
    info = pdf_info(path)
    assert "Pages:           1\n" in info and A3_PAGE in info  # 1190 wide, 841 high: landscape
    text = pdf_text(path)
    for said in (
        "A3 · A1 Answer 96% of yard calls within a day by June 2026",
        "Owner Sam Okoye", "Unit Dry dock yard", "As of 2026-05-01",
        # background: up the chain to the breakthrough, with the link's weight, and the vision
        "A1 → supports B1 Turn every ship round in under 10 days by 2030 (weight 0.6)",
        "Vision: Every ship leaves on time",
        # current condition: plan 60 + 3 a month: 2026-04 plan 72, actual 70 within tolerance
        "Yard calls answered within a day (%)", "amber current 70 in 2026-04, plan 72",
        # target: 96 by 2026-12; the fiscal year ends 2026-12, where the plan is 96 too
        "from 60 in 2025-12 to 96 by",
        # countermeasures, open and closed, with their causes and the closed one's effect
        "Two dispatchers left in", "The phones were down", "Calls back on", "closed", "open",
        # the action plan: a3 20 days late, critical; a1 and a2 21 days of slack each
        "20 days late: the chain cannot finish in time. Critical (◆): a3.",
        "Next review: monthly review of Dry dock yard, 2026-06",
        "The trainer is booked elsewhere", "Use the recorded course",
        "Page 1 of 1", "Harbour Works · as of 2026-05-01",
    ):  # fmt: skip
        assert said in text, said
    # each action's row: latest start, due, slack, late days, progress
    assert row(text, "◆ a3 Install the call tracking board") == "2026-04-11 2026-05-20 -20 20 0%"
    assert row(text, "a1 Write the call-handling standard") == "2026-05-22 \u2013 21 0 50%"
    assert row(text, "a2 Train the yard dispatchers on the standard") == "2026-06-01 \u2013 21 0 0%"


def row(text: str, start: str) -> str:
    """The last five figures of the table row that starts with ``start``."""
    (line,) = [line for line in text.splitlines() if start in line]
    return " ".join(line.split(start)[1].split()[-5:])


def test_an_unknown_objective_has_no_a3(tmp_path: Path) -> None:
    plan = hand_plan(tmp_path)
    with pytest.raises(NotFound, match="no objective 'A9'"):
        a3_pdf(plan, analyze(plan, AS_OF), "A9")


def test_a_big_objective_still_fits_one_page_and_says_how_many_more(tmp_path: Path) -> None:
    """A1 with 9 metrics, 20 actions of long titles each with a long risk, 12 long
    countermeasures and 6 parents: the caps show 6, 10, 6, 4, 3 and say how many more."""
    plan = hand_plan(tmp_path)
    long = "a cause that goes on and on about what happened " * 6
    a1 = next(o for o in plan.objectives if o.id == "A1")
    metric = a1.metrics[0]
    metrics = tuple(dataclasses.replace(metric, id=f"m{k}", name=f"Metric number {k} of many words")
                    for k in range(9))  # fmt: skip
    parents = tuple(Objective(f"P{k}", f"Parent objective {k} " + "x" * 150, "breakthrough")
                    for k in range(6))  # fmt: skip
    big = dataclasses.replace(a1, metrics=metrics, supports={p.id: 1.0 for p in parents})
    actions = tuple(
        Action(f"x{k}", f"Action {k} " + "with a long title " * 8, owner="sam", serves=("A1",),
               duration_days=10 + k, risks=(Risk(long, long),))
        for k in range(20)
    )  # fmt: skip
    measures = tuple(
        Countermeasure(f"c{k}", f"m{k % 9}", Month.of(2026, 3), cause=long, action=long,
                       effect=long)
        for k in range(12)
    )  # fmt: skip
    objectives = tuple(big if o.id == "A1" else o for o in plan.objectives) + parents
    plan = dataclasses.replace(
        plan, objectives=objectives, actions=actions, countermeasures=measures
    )
    path = printed(tmp_path, plan, "A1")
    assert "Pages:           1\n" in pdf_info(path)
    text = " ".join(pdf_text(path).split())
    assert (METRICS_SHOWN, ACTIONS_SHOWN, COUNTERMEASURES_SHOWN) == (6, 10, 6)
    # 9 - 6 metrics, 20 - 10 actions, 12 - 6 countermeasures, 20 - 4 risks, 6 - 3 paths up
    for said in ("and 3 more metrics", "and 10 more actions", "and 6 more countermeasures",
                 "and 16 more risks", "and 3 more paths up"):  # fmt: skip
        assert said in text, said


def test_every_breakthrough_objective_of_the_demo_prints_on_one_page(tmp_path: Path) -> None:
    plan = demo_plan(AS_OF)
    breakthroughs = [o for o in plan.objectives if o.level == "breakthrough"]
    assert len(breakthroughs) == 4
    for objective in breakthroughs:
        path = printed(tmp_path, plan, objective.id, f"{objective.id}.pdf")
        info = pdf_info(path)
        assert "Pages:           1\n" in info and A3_PAGE in info
        text = pdf_text(path)
        assert objective.id in text and objective.metrics[0].name[:30] in " ".join(text.split())


def test_an_a3_is_printed_without_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: Any) -> None:
        raise AssertionError("an A3 reached for the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert "Pages:           1\n" in pdf_info(printed(tmp_path, hand_plan(tmp_path), "A1"))


def test_trajectories_in_words(tmp_path: Path) -> None:
    plan = hand_plan(tmp_path)
    metric = plan.objectives[1].metrics[0]
    assert trajectory_words(metric) == ("linear, from 60 in 2025-12 to 96 by 2026-12")
    halving = dataclasses.replace(metric, target=None, rate_per_year=-0.5)
    # 60 halved each year for 12 months: 30
    assert trajectory_words(halving) == "compound, -50% a year, from 60 in 2025-12 to 30 by 2026-12"
    band = dataclasses.replace(metric, direction="maintain", minimum=4.5, maximum=6.5)
    assert trajectory_words(band) == "keep between 4.5 and 6.5"


def test_chains_climb_to_every_breakthrough_and_stop_at_a_loop() -> None:
    b1, b2 = Objective("B1", "one", "breakthrough"), Objective("B2", "two", "breakthrough")
    a1 = Objective("A1", "a", "annual", supports={"B1": 0.5, "B2": 0.5})
    t1 = Objective("T1", "t", "team", supports={"A1": 1.0, "T1": 1.0})  # itself: cut
    found = chains_up({o.id: o for o in (b1, b2, a1, t1)}, t1)
    assert [[(link.objective.id, link.weight) for link in path] for path in found] == [
        [("A1", 1.0), ("B1", 0.5)],
        [("A1", 1.0), ("B2", 0.5)],
    ]
    assert chains_up({"B1": b1}, b1) == []


def test_the_next_review_without_a_meeting_is_next_months_of_the_unit(tmp_path: Path) -> None:
    a1 = hand_plan(tmp_path).objectives[1]
    units = {"yard": "Dry dock yard"}
    assert review_words(None, a1, units, Month.of(2026, 12)) == (
        "monthly review of Dry dock yard, 2027-01"
    )
    assert review_words(None, dataclasses.replace(a1, unit=None), units, Month.of(2026, 5)) == (
        "monthly review, 2026-06"
    )


def test_charts_take_the_half_width_up_to_three_then_go_two_a_row() -> None:
    assert [chart_size(n) for n in range(7)] == [
        (540, 190), (540, 190), (540, 140), (540, 105), (270, 115), (270, 90), (270, 90)
    ]  # fmt: skip
    assert clip("abcdef", 4) == "abc\u2026" and clip(None) == "\u2013" and clip("ab", 4) == "ab"
