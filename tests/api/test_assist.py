"""The assistant's API (api.assist) on SQLite and PostgreSQL, with the shipped model: where
an objective belongs, overlaps, the metric catalogue; the model's space is made in the
background (lexical answers until it is ready); 401/404/422 like the other routes.

examples/small.yaml has one objective per level: B1 (breakthrough, ana, no unit: "Cut
patient falls ..."), A1 (annual, ben, ward-a: "Run a daily fall-risk huddle ...") under
it, and T1 (team, ben, ward-a: "Train 40 nurses in fall prevention ...") under A1. So A1's
only possible parent is B1 and T1's is A1; both share the term "fall" with it ("falls" and
"fall-risk" both give the term "fall")."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest
from api_support import Seeded

from hoshin.domain.assist.overlaps import THRESHOLD
from hoshin.runtime import assist_scans, assist_spaces
from hoshin.service.assist.embedding import embed
from llm_server import chat_server

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ASSIST = "/api/v1/orgs/clinic/assist"
WAIT = 60.0  # seconds at most for the background thread: waited for, never timed


@pytest.fixture(autouse=True)
def no_spaces(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with no plan space or scan made (the process keeps them otherwise);
    a scan under way is waited for (the small plan's takes milliseconds, however slow the
    host)."""
    assist_spaces.forget()
    assist_scans.forget()
    monkeypatch.setattr(assist_scans, "SCAN_WAIT", WAIT)
    yield
    assist_spaces.settled(WAIT)
    assist_spaces.forget()
    assist_scans.forget()


def get(api: Seeded, url: str, *, who: str = "viewer") -> Any:
    return api.client.get(f"{ASSIST}{url}", headers=api.headers(who))


def post(api: Seeded, url: str, body: Any, *, who: str = "viewer") -> Any:
    return api.client.post(f"{ASSIST}{url}", json=body, headers=api.headers(who))


def test_parents_are_lexical_while_the_model_space_is_made_then_the_models(
    api: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model is held: the answer comes at once from the lexical space; once the
    background thread is let go the same question is answered in the model's space, which
    adds the reason 'similar in meaning'."""
    let_go = threading.Event()

    def held(texts: Sequence[str]) -> np.ndarray:
        assert let_go.wait(WAIT)
        return embed(texts)

    monkeypatch.setattr(assist_spaces, "embed", held)
    early = get(api, "/parents/A1")
    assert early.status_code == 200, early.json()
    assert early.json()["space"] == "lexical"
    [parent] = early.json()["suggestions"]
    assert parent["objective"] == "B1" and "shares the term fall" in parent["reasons"]
    let_go.set()
    assert assist_spaces.settled(WAIT)
    later = get(api, "/parents/A1").json()
    assert later["space"] == "model" and later["objective"] == "A1"
    [parent] = later["suggestions"]
    assert parent["objective"] == "B1"
    assert parent["title"] == "Cut patient falls from 40 to 10 a month by the end of 2027"
    assert 0 < parent["score"] <= 1
    assert any(r.startswith("similar in meaning") for r in parent["reasons"])


def test_an_objective_being_typed_is_suggested_its_parent(api: Seeded) -> None:
    """A team objective of ward-a being written: the one annual objective, A1, also of
    ward-a, with the reasons 'shares the term falls' (as the title writes it) and 'same
    unit (Ward A)'."""
    body = {"title": "Teach nurses to prevent falls", "level": "team", "unit": "ward-a"}
    assert post(api, "/parents", body).status_code == 200  # starts the model's space
    assert assist_spaces.settled(WAIT)
    answer = post(api, "/parents", body)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["space"] == "model" and answer.json()["objective"] is None
    [parent] = answer.json()["suggestions"]
    assert parent["objective"] == "A1"
    assert {"shares the term falls", "same unit (Ward A)"} <= set(parent["reasons"])


def test_a_planted_duplicate_is_an_overlap(api: Seeded) -> None:
    """Ana (clinic) writes A1 again in other words at the same level: the two annual
    objectives of different people overlap; no metric pair does (the new one has none)."""
    twin = {
        "title": "Run a daily fall-risk huddle on every ward day in 2026",
        "level": "annual", "owner": "ana", "unit": "clinic", "supports": {"B1": 1},
    }  # fmt: skip
    made = api.client.post(
        "/api/v1/orgs/clinic/objectives", json=twin, headers=api.headers("editor")
    )
    assert made.status_code == 201, made.json()
    twin_id = made.json()["id"]
    get(api, "/overlaps")
    assert assist_spaces.settled(WAIT)
    answer = get(api, "/overlaps").json()
    assert answer["space"] == "model" and answer["ready"] is True
    assert answer["threshold"] == THRESHOLD and answer["total"] == 1
    [pair] = answer["overlaps"]
    assert pair["kind"] == "objective" and {pair["first"], pair["second"]} == {"A1", twin_id}
    assert pair["similarity"] >= THRESHOLD and pair["suggestion"]
    assert get(api, "/overlaps?kind=metric").json()["overlaps"] == []


def test_a_large_plans_overlaps_wait_for_the_model_space(
    api: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan above LEXICAL_TEXTS objectives and metrics (here any: 0) is not scanned
    lexically: while the model's space is held the answer is not ready, and empty; then
    the scan is made in the model's space (small.yaml: no pair above the threshold)."""
    let_go = threading.Event()

    def held(texts: Sequence[str]) -> np.ndarray:
        assert let_go.wait(WAIT)
        return embed(texts)

    monkeypatch.setattr(assist_spaces, "embed", held)
    monkeypatch.setattr(assist_scans, "LEXICAL_TEXTS", 0)
    early = get(api, "/overlaps").json()
    assert early == {
        "space": "model", "ready": False, "threshold": THRESHOLD, "total": 0, "overlaps": []
    }  # fmt: skip
    let_go.set()
    assert assist_spaces.settled(WAIT)
    later = get(api, "/overlaps").json()
    assert (later["space"], later["ready"], later["total"]) == ("model", True, 0)


def test_the_metric_catalogue_answers_a_question_in_words(api: Seeded) -> None:
    """'patients waiting too long in the emergency department': two emergency department
    indicators of healthcare first; with sector=manufacturing every answer is that sector's."""
    question = "patients waiting too long in the emergency department"
    answer = get(api, f"/metrics?q={question}&top=2")
    assert answer.status_code == 200, answer.json()
    found = answer.json()["metrics"]
    assert len(found) == 2
    assert all(m["sector"] == "healthcare" and "mergency" in m["name"] for m in found)
    assert found[0]["score"] >= found[1]["score"]
    made = get(api, f"/metrics?q={question}&sector=manufacturing").json()["metrics"]
    assert len(made) == 5 and {m["sector"] for m in made} == {"manufacturing"}


def test_the_smart_review_says_what_each_objective_fails(api: Seeded) -> None:
    """At 2026-06-15 B1 fails only 'achievable': its action chain ends 13 days late on
    a3 (the infeasible_schedule finding, worked out in tests/cli/test_check.py); A1 and T1
    pass all five. A page of one from the second is A1's; without a chat model no rewrite."""
    answer = get(api, "/review?as_of=2026-06-15")
    assert answer.status_code == 200, answer.json()
    found = answer.json()
    assert found["total"] == 3 and found["rewrites"] is False
    b1, a1, t1 = found["reviews"]
    assert b1["objective"] == "B1"
    assert b1["passes"] == ["specific", "measurable", "relevant", "time_bound"]
    [failing] = b1["failing"]
    assert failing["criterion"] == "achievable" and failing["code"] == "infeasible_schedule"
    assert "13 days late" in failing["problem"] and "a3" in failing["suggestion"]
    assert a1["failing"] == t1["failing"] == [] and b1["rewrite"] is None
    page = get(api, "/review?as_of=2026-06-15&limit=1&offset=1").json()
    assert [r["objective"] for r in page["reviews"]] == ["A1"] and page["total"] == 3


def test_a_chat_model_rewrites_a_failing_title_when_asked(
    api: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With HOSHIN_LLM_URL set (the tests' loopback chat server), ?rewrite=true gives B1,
    which fails one criterion, the model's title: one request; without it, none."""
    reply = "Cut patient falls from 40 to 10 a month by December 2027"
    with chat_server(reply=reply) as server:
        monkeypatch.setenv("HOSHIN_LLM_URL", server.url)
        url = "/review?objective=B1&as_of=2026-06-15"
        unasked = get(api, url).json()
        asked = get(api, f"{url}&rewrite=true").json()
    assert unasked["rewrites"] is True and unasked["reviews"][0]["rewrite"] is None
    assert [r["rewrite"] for r in asked["reviews"]] == [reply]
    assert len(server.requests) == 1


def test_a_draft_from_a_sentence(api: Seeded) -> None:
    """'Halve ... from 24 ... each year until Dec 2029' on 2026-06-15: a breakthrough
    (42 months away) whose metric decreases from 24 in 2026-06 at -50 % a year, compound.
    Each year's end is 24 x 0.5^(months/12): 2026-12 is 6 months on, 24 / sqrt(2) = 16.97;
    2027-12, 18 months: 8.485; 2029-12, 42 months: 24 x 0.5^3.5 = 2.121."""
    sentence = "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029"
    answer = post(api, "/draft", {"sentence": sentence, "as_of": "2026-06-15"})
    assert answer.status_code == 200, answer.json()
    made = answer.json()
    [objective] = made["objectives"]
    assert (objective["level"], objective["end"]) == ("breakthrough", "2029-12")
    [metric] = objective["metrics"]
    assert metric["name"] == "Warranty claims per 1,000 pumps"
    assert (metric["direction"], metric["baseline"], metric["baseline_period"]) == (
        "decrease", 24.0, "2026-06"
    )  # fmt: skip
    assert (metric["rate_per_year"], metric["target_period"]) == (-0.5, "2029-12")
    yearly = {item["year"]: item["target"] for item in made["yearly_targets"]}
    assert list(yearly) == [2026, 2027, 2028, 2029]
    assert yearly[2026] == pytest.approx(24 / 2**0.5) == made["this_year"]
    assert yearly[2027] == pytest.approx(24 * 0.5**1.5)
    assert yearly[2029] == pytest.approx(24 * 0.5**3.5)
    assert made["yaml"].startswith("# Drafted from: Halve warranty claims")
    assert "\nobjectives:\n- id: O1\n" in made["yaml"]
    asked = post(api, "/draft", {"sentence": sentence, "level": "annual", "as_of": "2026-06-15"})
    assert asked.json()["objectives"][0]["level"] == "annual"


def test_an_unaddressed_opportunity_is_given_its_likeliest_objective(api: Seeded) -> None:
    """small.yaml's situation: T1 addresses w-falls and t-inspection; the strength is not
    answered; the opportunity o-alarms ("Bed-exit alarms now cost little enough to fit
    every bed": terms bed, exit, alarm, cost, little, enough, fit) is unaddressed, and no
    objective scores the floor 0.3 for it. An objective "Fit bed-exit alarms to every bed"
    repeats 4 of its 7 terms: 0.3 x 4/7 = 0.17 on top of its cosine, and it is the one."""
    assert get(api, "/addresses").json()["suggestions"] == []
    body = {"title": "Fit bed-exit alarms to every bed by 2027", "level": "annual"}
    made = api.client.post(
        "/api/v1/orgs/clinic/objectives", json=body, headers=api.headers("editor")
    )
    assert made.status_code == 201, made.json()
    get(api, "/addresses")
    assert assist_spaces.settled(WAIT)
    answer = get(api, "/addresses").json()
    assert answer["space"] == "model"
    [suggestion] = answer["suggestions"]
    assert (suggestion["item"], suggestion["kind"]) == ("o-alarms", "opportunity")
    assert suggestion["objective"] == made.json()["id"]
    assert suggestion["terms"] == ["fit", "bed", "exit", "alarm"]
    assert 0.3 + 0.3 * 4 / 7 <= suggestion["score"] <= 1


def test_a_new_situation_item_is_ranked_after_its_edit(api: Seeded) -> None:
    """A situation item added through the API is one more text of the plan: the next ask
    ranks it (it answered 500 when the edit kept the plan's structure, and with it a space
    without the new text). w-beds ("Too few beds for the night shift") is unaddressed."""
    get(api, "/addresses")
    assert assist_spaces.settled(WAIT)
    body = {"kind": "weakness", "text": "Too few beds for the night shift"}
    put = api.client.put(
        "/api/v1/orgs/clinic/situation/w-beds", json=body, headers=api.headers("editor")
    )
    assert put.status_code == 201, put.json()
    answer = get(api, "/addresses?top=19")
    assert answer.status_code == 200, answer.text
    assert all(s["item"] in ("o-alarms", "w-beds") for s in answer.json()["suggestions"])


LONG = "x" * 301  # a title is one line of at most 300 characters


@pytest.mark.parametrize(
    ("who", "method", "url", "body", "status"),
    [
        (None, "GET", "/parents/A1", None, 401),
        ("other", "GET", "/parents/A1", None, 404),  # another organisation's admin
        ("other", "GET", "/overlaps", None, 404),
        ("other", "GET", "/metrics?q=falls", None, 404),
        ("viewer", "GET", "/parents/nope", None, 404),
        ("viewer", "GET", "/parents/B1", None, 422),  # a breakthrough has no level above
        ("viewer", "GET", "/parents/A1?top=0", None, 422),
        ("viewer", "POST", "/parents", {"title": "Grow", "level": "breakthrough"}, 422),
        ("viewer", "POST", "/parents", {"title": LONG, "level": "team"}, 422),
        ("viewer", "POST", "/parents", {"title": "Cut\x07falls", "level": "team"}, 422),
        ("viewer", "POST", "/parents", {"title": "Cut falls", "level": "team", "x": 1}, 422),
        ("viewer", "GET", "/overlaps?threshold=1.5", None, 422),
        ("viewer", "GET", "/overlaps?kind=action", None, 422),
        ("viewer", "GET", "/metrics?q=", None, 422),
        ("viewer", "GET", "/metrics?q=falls&sector=retail", None, 422),
        ("viewer", "GET", "/metrics?q=falls%07", None, 422),
        ("viewer", "GET", "/review?objective=nope", None, 404),
        ("viewer", "POST", "/draft", {"sentence": "improve quality"}, 422),  # no number
        ("viewer", "POST", "/draft", {"sentence": LONG}, 422),
        ("viewer", "POST", "/draft", {"sentence": "Cut\x00falls from 9 to 4 by 2027"}, 422),
        ("viewer", "POST", "/draft", {"sentence": "Cut falls 9 to 4", "as_of": "2026-13-01"}, 422),
        ("other", "POST", "/draft", {"sentence": "Cut falls from 9 to 4 by 2027"}, 404),
        ("viewer", "GET", "/review?objective=a%20b", None, 422),
        ("other", "GET", "/review", None, 404),
        ("other", "GET", "/addresses", None, 404),
        ("viewer", "GET", "/addresses?top=21", None, 422),
    ],
)
def test_refusals_like_the_other_routes(
    api: Seeded, who: str | None, method: str, url: str, body: Any, status: int
) -> None:
    headers = api.headers(who) if who else {}
    answer = api.client.request(method, f"{ASSIST}{url}", json=body, headers=headers)
    assert answer.status_code == status, answer.json()
    assert "error" in answer.json()
