"""``hoshin assist review`` on a plan file and on an organisation (both databases).

The plan, as of 2026-06-15 (fiscal years are calendar years): B1 and A1 pass all five;
A2 says "Improve" without a number and has no metric; A3 supports nothing and has no end;
T1 ends 2027-06, after A1 (2026-12), which it supports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from llm_server import chat_server

runner = CliRunner()
AS_OF = ("--as-of", "2026-06-15")
PLAN = """\
hoshin: 1
organization:
  name: Pumps Ltd
vision:
  statement: The pump nobody sends back
  horizon: 2030
people:
  - {id: p1, name: Pat}
objectives:
  - id: B1
    title: Halve warranty claims by 2029
    level: breakthrough
    owner: p1
    end: 2029-12
    metrics:
      - {id: MB, name: Warranty claims per 1000 pumps, direction: decrease, baseline: 24,
         baseline_period: 2025-12, target: 12, target_period: 2029-12}
  - id: A1
    title: Cut warranty claims from 24 to 20 per 1000 pumps
    level: annual
    owner: p1
    end: 2026-12
    supports: [B1]
    metrics:
      - {id: M1, name: Warranty claims per 1000 pumps, direction: decrease, baseline: 24,
         baseline_period: 2025-12, target: 20, target_period: 2026-12}
  - id: A2
    title: Improve on-time delivery
    level: annual
    owner: p1
    end: 2026-12
    supports: [B1]
  - id: A3
    title: Cut seal failures from 9 to 6 per 1000 pumps
    level: annual
    owner: p1
    metrics:
      - {id: M3, name: Seal failures per 1000 pumps, direction: decrease, baseline: 9,
         baseline_period: 2025-12, target: 6, target_period: 2026-12}
  - id: T1
    title: Train 40 technicians in root-cause analysis
    level: team
    owner: p1
    end: 2027-06
    supports: [A1]
    metrics:
      - {id: M4, name: Technicians trained, direction: increase, baseline: 0,
         baseline_period: 2025-12, target: 40, target_period: 2027-06}
"""


@pytest.fixture(autouse=True)
def no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """No chat model, whatever the machine's environment says."""
    for name in ("URL", "MODEL", "API_KEY", "TIMEOUT"):
        monkeypatch.delenv(f"HOSHIN_LLM_{name}", raising=False)


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "pumps.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def hoshin(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a command."""
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_the_text_names_each_failing_criterion_with_a_suggestion(plan_file: Path) -> None:
    code, out, err = hoshin("assist", "review", str(plan_file), *AS_OF)
    assert (code, err) == (0, "")  # a review is advice: exit 0 whatever fails
    assert out.startswith("SMART review of Pumps Ltd as of 2026-06-15\n")
    assert "\nA2  Improve on-time delivery\n" in out
    assert "    ✗ specific: it says 'Improve' without a number" in out
    assert "    ✗ measurable: no metric" in out
    assert "    → end it by 2026-12 (the end of fiscal year 2026)\n" in out  # A3
    assert "    ✓ passes: specific, measurable, achievable, relevant\n" in out  # T1
    assert "\nB1  " not in out and "\nA1  " not in out  # they pass all: in the summary only
    summary = " ".join(out.split("\n\n")[-1].split())
    # A2 is not specific and not measurable, A3 not relevant and not time-bound, T1 not
    # time-bound: 1, 1, 1, 2
    assert summary == (
        "5 objectives reviewed, 2 pass all five (B1, A1); not specific 1, not measurable 1, "
        "not relevant 1, not time-bound 2."
    )


def test_every_line_fits_an_80_column_terminal_without_trailing_spaces(plan_file: Path) -> None:
    _, out, _ = hoshin("assist", "review", str(plan_file), *AS_OF, env={"COLUMNS": "80"})
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert [line for line in lines if line != line.rstrip()] == []
    # a wrapped problem hangs under its text, not under its mark
    assert (
        "    ✗ relevant: it supports no objective, so it does not trace up to a\n"
        "      breakthrough objective\n"
    ) in out


def test_one_objective_is_shown_even_when_it_passes_all(plan_file: Path) -> None:
    code, out, _ = hoshin("assist", "review", str(plan_file), "--objective", "A1", *AS_OF)
    assert code == 0
    assert "\nA1  Cut warranty claims from 24 to 20 per 1000 pumps\n    ✓ passes all five\n" in out
    assert out.endswith("\n1 objective reviewed, 1 passes all five (A1).\n")


def test_an_unknown_objective_exits_2_with_the_reason(plan_file: Path) -> None:
    code, out, err = hoshin("assist", "review", str(plan_file), "--objective", "Z9")
    assert (code, out) == (2, "")
    assert err.strip() == "hoshin: no objective 'Z9' in the plan"


def test_json_is_the_list_of_reviews(plan_file: Path) -> None:
    code, out, _ = hoshin("assist", "review", str(plan_file), *AS_OF, "--format", "json")
    assert code == 0
    found = {item["objective"]: item for item in json.loads(out)}
    assert list(found) == ["B1", "A1", "A2", "A3", "T1"]
    assert found["A1"]["failing"] == [] and found["A1"]["rewrite"] is None
    assert [f["code"] for f in found["A2"]["failing"]] == ["vague_title", "unmeasured"]
    assert [f["code"] for f in found["A3"]["failing"]] == ["orphan", "no_deadline"]
    assert found["T1"]["passes"] == ["specific", "measurable", "achievable", "relevant"]
    assert found["T1"]["failing"][0]["suggestion"].startswith("end it by 2026-12")


def test_the_chat_models_title_is_shown_when_asked(
    plan_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with chat_server(reply="Raise on-time delivery from 82 to 95 % by 2026-12") as server:
        monkeypatch.setenv("HOSHIN_LLM_URL", server.url)
        args = ("assist", "review", str(plan_file), "--objective", "A2", *AS_OF)
        _, out, _ = hoshin(*args, "--rewrite")
        _, unasked, _ = hoshin(*args)
    assert "    ✎ rewritten: Raise on-time delivery from 82 to 95 % by 2026-12\n" in out
    assert "rewritten" not in unasked
    assert len(server.requests) == 1


def test_a_title_is_printed_as_written_not_as_markup(tmp_path: Path) -> None:
    path = tmp_path / "markup.yaml"
    path.write_text(PLAN.replace("Improve on-time delivery", '"[red]Improve[/red] delivery"'))
    _, out, _ = hoshin("assist", "review", str(path), "--objective", "A2", *AS_OF)
    assert "A2  [red]Improve[/red] delivery\n" in out


def test_the_organisations_plan_is_reviewed_as_its_file(plan_file: Path, database_url: str) -> None:
    env = {"HOSHIN_DATABASE_URL": database_url}
    assert hoshin("org", "create", "pumps", "Pumps Ltd", env=env)[0] == 0
    assert hoshin("import", str(plan_file), "--org", "pumps", env=env)[0] == 0
    args = (*AS_OF, "--format", "json")
    code, from_org, err = hoshin("assist", "review", "--org", "pumps", *args, env=env)
    assert (code, err) == (0, "")
    assert json.loads(from_org) == json.loads(hoshin("assist", "review", str(plan_file), *args)[1])
