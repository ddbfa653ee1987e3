"""hoshin assist situation: the weaknesses, threats and opportunities no objective addresses and
the objectives likeliest to, on a plan file (text and json) and on an organisation (both
databases), with the shipped model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app

runner = CliRunner()
# W1 is addressed by B1; T1 (seals, warranty) and O1 (service contracts) by none. S1 is a
# strength: never listed.
PLAN = """\
hoshin: 1
organization: {name: Pumps}
situation:
  - {id: S1, kind: strength, text: Engineers who design every seal in-house}
  - {id: W1, kind: weakness, text: Machining scrap costs twice the industry's}
  - {id: T1, kind: threat, text: Warranty claims for leaking seals keep rising}
  - {id: O1, kind: opportunity, text: Utilities want to buy service contracts for uptime}
objectives:
  - {id: B1, title: Halve machining scrap and rework costs by 2029, level: breakthrough,
     addresses: [W1]}
  - {id: B2, title: Double service contract revenue by 2029, level: breakthrough}
  - {id: B3, title: Cut warranty claims for seal leaks by 80% by 2029, level: breakthrough}
"""


def hoshin(*args: str, url: str = "sqlite:///nowhere.db") -> tuple[int, str, str]:
    """Runs a command, wide enough that a table row is one line: (exit, stdout, stderr)."""
    result = runner.invoke(app, list(args), env={"HOSHIN_DATABASE_URL": url, "COLUMNS": "160"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def plan_file(tmp_path: Path) -> str:
    path = tmp_path / "pumps.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return str(path)


def test_the_unaddressed_items_with_their_likeliest_objectives(plan_file: str) -> None:
    code, said, err = hoshin("assist", "situation", plan_file)
    assert (code, err) == (0, "")
    lines = said.splitlines()
    assert " ".join(said.split()).startswith(
        "The situation has 4 items; no objective addresses 2 of them (1 a weakness or threat: "
        "a warning in hoshin check). Name an item in the addresses of the objective that "
        "answers it:"
    )
    # the best suggestion of each item is on its row; S1 (a strength) and W1 are not listed
    first = next(line for line in lines if line.strip().startswith("T1 (threat)"))
    assert "B3 Cut warranty claims for seal leaks" in first
    second = next(line for line in lines if line.strip().startswith("O1 (opportunity)"))
    assert "B2 Double service contract revenue" in second
    assert not any(line.strip().startswith(("S1", "W1")) for line in lines)


def test_as_json_each_item_has_its_suggestions_best_first(plan_file: str) -> None:
    code, said, _ = hoshin("assist", "situation", plan_file, "--format", "json")
    assert code == 0
    body = json.loads(said)
    assert (body["space"], body["items"]) == ("model", 4)
    assert [(i["id"], i["kind"]) for i in body["unaddressed"]] == [
        ("T1", "threat"),
        ("O1", "opportunity"),
    ]
    threat = body["unaddressed"][0]["suggestions"]
    assert threat[0]["objective"] == "B3" and {"warranty", "claim"} <= set(threat[0]["terms"])
    scores = [s["score"] for s in threat]
    assert scores == sorted(scores, reverse=True) and all(0.3 <= s <= 1 for s in scores)


def test_an_answered_situation_and_none_at_all_say_so(tmp_path: Path) -> None:
    answered = tmp_path / "answered.yaml"
    answered.write_text(PLAN.replace("addresses: [W1]", "addresses: [W1, T1, O1]"))
    code, said, _ = hoshin("assist", "situation", str(answered))
    assert code == 0
    assert " ".join(said.split()) == (
        "Every weakness, threat and opportunity of the situation (4 items) is addressed."
    )
    bare = tmp_path / "bare.yaml"
    bare.write_text("hoshin: 1\norganization: {name: Pumps}\n")
    code, said, _ = hoshin("assist", "situation", str(bare), "--format", "json")
    assert json.loads(said) == {"space": "model", "items": 0, "unaddressed": []}
    code, said, _ = hoshin("assist", "situation", str(bare))
    assert said.startswith("The plan has no situation: list its strengths, weaknesses,")


def test_no_source_or_both_are_refused(plan_file: str) -> None:
    code, _, err = hoshin("assist", "situation")
    assert (code, err.strip()) == (2, "hoshin: give a plan file or --org SLUG (one of them)")
    code, _, err = hoshin("assist", "situation", plan_file, "--org", "pumps")
    assert code == 2


@pytest.fixture
def url(database_url: str, plan_file: str) -> Iterator[str]:
    """A database with the plan as the organisation pumps."""
    assert hoshin("org", "create", "pumps", "Pumps", url=database_url)[0] == 0
    assert hoshin("import", plan_file, "--org", "pumps", url=database_url)[0] == 0
    yield database_url


def test_an_organisations_situation(url: str) -> None:
    code, said, err = hoshin("assist", "situation", "--org", "pumps", "--format", "json", url=url)
    assert (code, err) == (0, "")
    assert [i["id"] for i in json.loads(said)["unaddressed"]] == ["T1", "O1"]
    code, _, err = hoshin("assist", "situation", "--org", "nobody", url=url)
    assert code == 2 and "nobody" in err
