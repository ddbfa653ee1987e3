"""The SMART review's suggestions from the shipped catalogue, the ranked parents (the real
model) and the optional chat model (the loopback chat server of tests/llm_server.py)."""

from __future__ import annotations

from datetime import date

import pytest

from hoshin.domain.analysis import analyze
from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.review import SmartReview
from hoshin.domain.assist.words import plan_texts
from hoshin.domain.model import Metric, Objective, Organization, Plan, Vision
from hoshin.domain.months import Month
from hoshin.errors import NotFound
from hoshin.service.assist import catalogue, suggest
from hoshin.service.assist import review as review_service
from hoshin.service.assist.catalogue import metric_for
from hoshin.service.assist.review import review
from llm_server import chat_server

AS_OF = date(2026, 6, 15)
END = Month.parse("2026-12")


def claims(key: str, target: float) -> Metric:
    return Metric(
        id=key,
        name="Warranty claims per 1,000 pumps",
        direction="decrease",
        baseline=24.0,
        baseline_period=Month.parse("2025-12"),
        target=target,
        target_period=END,
    )


PLAN = Plan(
    organization=Organization(name="Pumps Ltd"),
    vision=Vision(statement="The pump nobody sends back", horizon=2030),
    objectives=(
        Objective(
            "B1",
            "Halve warranty claims by 2029",
            "breakthrough",
            end=Month.parse("2029-12"),
            metrics=(claims("MB", 12.0),),
        ),
        Objective(
            "B2",
            "Grow service revenue to EUR 45M by 2029",
            "breakthrough",
            end=Month.parse("2029-12"),
        ),
        # passes all
        Objective(
            "A1",
            "Cut warranty claims from 24 to 20 per 1,000 pumps",
            "annual",
            end=END,
            supports={"B1": 1.0},
            metrics=(claims("M1", 20.0),),
        ),
        # vague and unmeasured: the catalogue has an on-time delivery indicator
        Objective("A2", "Improve on-time delivery", "annual", end=END, supports={"B2": 1.0}),
        # unmeasured; nothing in the catalogue measures it
        Objective("A3", "Be a great place to work", "annual", end=END, supports={"B2": 1.0}),
        # an orphan about warranty claims: B1 is where it belongs
        Objective(
            "A4",
            "Cut warranty claims on seals from 9 to 6 per 1,000 pumps",
            "annual",
            end=END,
            metrics=(claims("M4", 20.0),),
        ),
    ),
)
ANALYSIS = analyze(PLAN, AS_OF)


@pytest.fixture(autouse=True)
def no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no chat model, whatever the machine's environment says."""
    for name in ("URL", "MODEL", "API_KEY", "TIMEOUT"):
        monkeypatch.delenv(f"HOSHIN_LLM_{name}", raising=False)


def reviewed(**options: object) -> dict[str, SmartReview]:
    found = review(PLAN, ANALYSIS, **options)  # type: ignore[arg-type]
    return {item.objective: item for item in found}


def test_an_unmeasured_vague_objective_is_offered_the_catalogues_indicator() -> None:
    kpi = metric_for("Improve on-time delivery")
    assert kpi is not None and "on-time" in kpi.name.lower()
    specific, measurable = reviewed()["A2"].failing
    assert f"measure it with '{kpi.name}' from the catalogue" in measurable.suggestion
    # the indicator rises (increase) and is counted in its unit, by A2's end
    assert specific.suggestion.endswith(f"from <now> to <target> {kpi.unit} by 2026-12'")
    assert "'raise " in specific.suggestion


def test_an_objective_nothing_in_the_catalogue_measures_gets_the_general_suggestion() -> None:
    assert metric_for("Be a great place to work") is None
    (measurable,) = reviewed()["A3"].failing
    assert measurable.suggestion == (
        "add a metric: what you would count to know it is done, with a baseline and a target "
        "by 2026-12"
    )


def test_past_the_most_looked_up_titles_the_suggestion_is_general(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(review_service, "MOST_LOOKED_UP", 0)
    specific, measurable = reviewed()["A2"].failing
    assert measurable.suggestion.startswith("add a metric:")
    assert "<what you count>" in specific.suggestion


def test_an_orphan_is_offered_the_likeliest_parent() -> None:
    (relevant,) = reviewed()["A4"].failing
    assert relevant.code == "orphan"
    assert relevant.suggestion.startswith("link it to B1 'Halve warranty claims by 2029' (")
    assert "warranty" in relevant.suggestion  # a reason: the shared terms


def test_in_the_lexical_space_too() -> None:
    space = lexical_space(plan_texts(PLAN))
    (relevant,) = reviewed(objective="A4", space=space)["A4"].failing
    assert relevant.suggestion.startswith("link it to B1 ")


def test_one_objective_and_an_unknown_one() -> None:
    assert list(reviewed(objective="A1")) == ["A1"]
    assert reviewed(objective="A1")["A1"].failing == ()
    with pytest.raises(NotFound):
        review(PLAN, ANALYSIS, objective="Z9")


def test_a_page_is_the_whole_reviews_slice_and_looks_up_its_own_titles_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = review(PLAN, ANALYSIS)
    asked: list[str] = []

    def counted(title: str) -> object:
        asked.append(title)
        return metric_for(title)

    monkeypatch.setattr(catalogue, "metric_for", counted)
    # objectives 3 and 4 of B1, B2, A1, A2, A3, A4: A2 and A3
    assert review(PLAN, ANALYSIS, offset=3, limit=2) == whole[3:5]
    # A2 (vague and unmeasured) is looked up once, A3 (unmeasured) once; B2 not
    assert asked == ["Improve on-time delivery", "Be a great place to work"]
    assert review(PLAN, ANALYSIS, offset=6, limit=2) == []
    assert review(PLAN, ANALYSIS, offset=4) == whole[4:]


def test_without_a_chat_model_nothing_is_rewritten_and_nothing_asked() -> None:
    with chat_server() as server:  # running, but not configured
        found = reviewed(rewrite=True)
    assert all(item.rewrite is None for item in found.values())
    assert server.requests == []


def test_a_chat_model_rewrites_each_failing_title(monkeypatch: pytest.MonkeyPatch) -> None:
    with chat_server(reply="Raise on-time delivery from 82 to 95 % by 2026-12") as server:
        monkeypatch.setenv("HOSHIN_LLM_URL", server.url)
        found = reviewed(rewrite=True)
        unasked = reviewed()
    # A2, A3, A4 and B2 (unmeasured: no metric, no measured supporter) fail something;
    # B1 and A1 pass all and are not sent
    assert len(server.requests) == 4
    assert found["A2"].rewrite == "Raise on-time delivery from 82 to 95 % by 2026-12"
    assert found["A1"].rewrite is None
    assert all(item.rewrite is None for item in unasked.values())
    sent = [request.body["messages"][1]["content"] for request in server.requests]
    asked = next(text for text in sent if "on-time" in text)
    assert asked.startswith("Title: Improve on-time delivery\nLevel: annual\nEnds: 2026-12\n")
    assert "Not specific: it says 'Improve' without a number" in asked
    assert "SMART" in server.requests[0].body["messages"][0]["content"]


def test_past_the_most_rewritten_titles_none_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review_service, "MOST_REWRITTEN", 1)
    with chat_server() as server:
        monkeypatch.setenv("HOSHIN_LLM_URL", server.url)
        found = reviewed(rewrite=True)
    assert len(server.requests) == 1
    assert found["B2"].rewrite is not None  # the first that fails something
    assert found["A2"].rewrite is None


@pytest.mark.parametrize(
    "answers",
    [
        {"status": 500},
        {"reply": "Improve on-time delivery"},  # the same title is no rewrite
        {"reply": "x" * 301},  # longer than a title may be
    ],
)
def test_no_usable_answer_is_no_rewrite(
    monkeypatch: pytest.MonkeyPatch, answers: dict[str, object]
) -> None:
    with chat_server(**answers) as server:
        monkeypatch.setenv("HOSHIN_LLM_URL", server.url)
        found = reviewed(objective="A2", rewrite=True)
    assert found["A2"].rewrite is None
    assert [item.code for item in found["A2"].failing] == ["vague_title", "unmeasured"]


def test_past_the_most_looked_up_parents_an_orphan_gets_the_general_suggestion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each ranking reads the plan's level: past MOST_LOOKED_UP (here 0) the orphan A4 is
    told to link itself, and no ranking runs."""
    asked: list[str] = []

    def parents(plan: Plan, key: str, **_: object) -> list[object]:
        asked.append(key)
        return []

    monkeypatch.setattr(review_service, "MOST_LOOKED_UP", 0)
    monkeypatch.setattr(suggest, "parents", parents)
    (relevant,) = reviewed()["A4"].failing
    assert relevant.code == "orphan" and not relevant.suggestion.startswith("link it to B1")
    assert asked == []
