"""A draft as a plan-file fragment: it pastes into a plan file and reads back as the same
objective; JSON carries the same objective and its yearly targets; the chat model may
polish the title (a real loopback chat server, tests/llm_server.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml

from hoshin.domain.assist.draft import draft_objective
from hoshin.planfile import parse_plan
from hoshin.service.assist.drafting import POLISH, draft_text
from llm_server import chat_server

JUNE = date(2026, 6, 15)
HEADER = "hoshin: 1\norganization: {name: Pumps Ltd}\n"
SENTENCES = [
    "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029",
    "grow service revenue 20 % a year from EUR 18M to EUR 45M by 2029",
    "cut lead time from 9 to 4 weeks by Q4 2027",
    "keep first-pass yield above 96 %",
    "Keep OEE between 75% and 85%",
]


@pytest.fixture(autouse=True)
def no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOSHIN_LLM_URL", raising=False)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_yaml_fragment_pastes_into_a_plan_file_as_the_drafted_objective(
    sentence: str,
) -> None:
    fragment = draft_text(sentence, as_of=JUNE)
    plan = parse_plan(HEADER + fragment)  # validated as any plan file is
    assert plan.objectives == (draft_objective(sentence, as_of=JUNE).objective,)


def test_the_yaml_says_how_it_was_read_and_each_year_s_target_in_comments() -> None:
    fragment = draft_text("cut lead time from 9 to 4 weeks by Q4 2027", as_of=JUNE)
    comments = [line for line in fragment.splitlines() if line.startswith("#")]
    assert comments[0] == "# Drafted from: cut lead time from 9 to 4 weeks by Q4 2027"
    assert comments[1].startswith("# Read as: decrease 'Lead time' from 9 weeks in 2026-06")
    # 18 months from 9 to 4: the end of 2026 (6 months in) is 9 - 5 * 6/18 = 7.333
    assert comments[-1] == "# Target at each year's end: 2026: 7.333 weeks, 2027: 4 weeks"
    assert all(len(line) <= 100 for line in fragment.splitlines())
    assert yaml.safe_load(fragment)["objectives"][0]["metrics"][0]["target"] == 4


def test_the_json_holds_the_objective_as_a_plan_file_and_the_figures_beside_it() -> None:
    data = json.loads(
        draft_text(
            "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029",
            as_of=date(2026, 12, 1),
            fmt="json",
        )
    )
    [objective] = data["objectives"]
    assert objective["level"] == "breakthrough"
    assert objective["metrics"][0]["rate_per_year"] == -0.5
    assert objective["metrics"][0]["baseline_period"] == "2026-12"
    # 24 halved each year: 12, 6, 3
    assert data["yearly_targets"] == [
        {"year": 2027, "target": 12},
        {"year": 2028, "target": 6},
        {"year": 2029, "target": 3},
    ]
    assert data["this_year"] == 24
    assert data["read_as"].startswith("decrease 'Warranty claims per 1,000 pumps' from 24")
    whole = {"hoshin": 1, "organization": {"name": "Pumps Ltd"}, "objectives": data["objectives"]}
    plan = parse_plan(json.dumps(whole), "plan.json")
    assert plan.objectives[0].metrics[0].rate_per_year == -0.5


def test_polish_without_a_chat_model_keeps_the_sentence_as_the_title() -> None:
    fragment = draft_text("cut lead time from 9 to 4 weeks by Q4 2027", as_of=JUNE, polish=True)
    assert "title: Cut lead time from 9 to 4 weeks by Q4 2027" in fragment


def test_polish_takes_the_chat_model_s_title(monkeypatch: pytest.MonkeyPatch) -> None:
    with chat_server(reply="Cut order lead time from 9 to 4 weeks by December 2027") as server:
        monkeypatch.setenv("HOSHIN_LLM_URL", server.url)
        fragment = draft_text("cut lead time from 9 to 4 weeks by Q4 2027", as_of=JUNE, polish=True)
    assert "title: Cut order lead time from 9 to 4 weeks by December 2027" in fragment
    assert "the title polished by the chat model" in fragment
    [request] = server.requests
    assert request.body["messages"] == [
        {"role": "system", "content": POLISH},
        {"role": "user", "content": "Cut lead time from 9 to 4 weeks by Q4 2027"},
    ]


def test_a_polish_that_is_no_title_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # two lines are no title (a title is one line)
    with chat_server(reply="Cut lead time\nby December 2027") as server:
        monkeypatch.setenv("HOSHIN_LLM_URL", server.url)
        fragment = draft_text("cut lead time from 9 to 4 weeks by Q4 2027", as_of=JUNE, polish=True)
    assert "title: Cut lead time from 9 to 4 weeks by Q4 2027" in fragment
    assert "polished" not in fragment
