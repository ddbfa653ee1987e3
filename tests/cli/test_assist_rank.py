"""hoshin assist parents and overlaps, and hoshin check --assist: on a plan file (text and
json) and on an organisation (both databases), with the shipped model; the refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app

runner = CliRunner()
# A1 is linked to B2 by mistake; A2 says what A1 says in another unit (Safety).
PLAN = """\
hoshin: 1
organization: {name: Pumps}
vision: {statement: Pumps that never leak, horizon: 2031}
units:
  - {id: hq, name: Headquarters, lead: ana}
  - {id: machining, name: Machining, parent: hq}
  - {id: safety, name: Safety, parent: hq}
  - {id: sales, name: Sales, parent: hq}
people:
  - {id: ana, name: Ana, unit: hq}
  - {id: ivo, name: Ivo, unit: machining}
  - {id: tam, name: Tam, unit: safety}
  - {id: sol, name: Sol, unit: sales}
objectives:
  - {id: B1, title: Halve scrap and rework costs by 2029, level: breakthrough, owner: ana,
     unit: hq, end: 2029-12}
  - {id: B2, title: Double service revenue by 2029, level: breakthrough, owner: ana, unit: hq,
     end: 2029-12}
  - {id: B3, title: Zero lost-time injuries by 2028, level: breakthrough, owner: ana, unit: hq,
     end: 2028-12}
  - {id: A1, title: Cut machining scrap by 40%, level: annual, owner: ivo, unit: machining,
     end: 2026-12, supports: [B2]}
  - {id: A2, title: Halve machining scrap, level: annual, owner: tam, unit: safety,
     end: 2026-12, supports: [B1]}
  - {id: A3, title: Sell 300 new service contracts, level: annual, owner: sol, unit: sales,
     end: 2026-12, supports: [B2]}
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


@pytest.fixture
def url(database_url: str, plan_file: str) -> Iterator[str]:
    """A database with the plan as the organisation pumps."""
    assert hoshin("org", "create", "pumps", "Pumps", url=database_url)[0] == 0
    assert hoshin("import", plan_file, "--org", "pumps", url=database_url)[0] == 0
    yield database_url


def test_parents_of_a_plan_files_objective(plan_file: str) -> None:
    code, said, _ = hoshin("assist", "parents", plan_file, "A1")
    assert code == 0
    assert said.startswith(
        "Where does A1 belong? Cut machining scrap by 40% (annual; it supports B2 now)."
    )
    rows = [line.split() for line in said.splitlines() if line.split()[:1] in (["1"], ["2"])]
    # B1: similar (0.58), like A2 (0.79), the term scrap, the unit above; B2 has the unit above
    assert rows[0][:2] == ["1", "B1"] and rows[1][:2] == ["2", "B2"]
    assert "similar in meaning (0." in said and "like A2, which supports it (0." in said
    assert "shares the term scrap" in said and "from the unit above (Headquarters)" in said


def test_parents_as_json(plan_file: str) -> None:
    code, said, _ = hoshin("assist", "parents", plan_file, "A1", "--top", "2", "--format", "json")
    assert code == 0
    rows = json.loads(said)
    assert [(r["rank"], r["objective"]) for r in rows] == [(1, "B1"), (2, "B2")]
    assert set(rows[0]) == {"rank", "objective", "title", "score", "reasons"}
    assert rows[0]["title"] == "Halve scrap and rework costs by 2029"
    assert 0 < rows[1]["score"] < rows[0]["score"] <= 1
    assert "shares the term scrap" in rows[0]["reasons"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("A9",), "hoshin: no objective A9 in the plan"),
        (("B1",), "hoshin: a breakthrough objective supports nothing: there is no level above it"),
        (("A1", "A2"), "hoshin: give PLAN.yaml OBJECTIVE, or OBJECTIVE with --org SLUG"),
    ],
)
def test_parents_refusals(plan_file: str, args: tuple[str, ...], message: str) -> None:
    code, said, err = hoshin("assist", "parents", plan_file, *args)
    assert (code, said, err.strip()) == (2, "", message)


def test_a_missing_file_or_no_source(tmp_path: Path) -> None:
    code, _, err = hoshin("assist", "parents", str(tmp_path / "none.yaml"), "A1")
    assert code == 2 and "none.yaml:1: cannot read the file" in err
    code, _, err = hoshin("assist", "overlaps")
    assert (code, err.strip()) == (2, "hoshin: give a plan file or --org SLUG (one of them)")
    code, _, err = hoshin("assist", "overlaps", "x.yaml", "--threshold", "1.5")
    assert code == 2 and "--threshold" in err


def test_overlaps_of_a_plan_file(plan_file: str) -> None:
    code, said, _ = hoshin("assist", "overlaps", plan_file)
    assert code == 0
    lines = [line.rstrip() for line in said.splitlines()]
    start = next(at for at, line in enumerate(lines) if line.startswith("0.79 objective"))
    assert lines[start].split() == [
        "0.79",
        "objective",
        "A1",
        "Cut",
        "machining",
        "scrap",
        "by",
        "40%",
    ]
    assert lines[start + 1].split() == ["A2", "Halve", "machining", "scrap"]
    assert lines[start + 2].endswith(
        "→ merge A2 into A1 (same annual level, in Machining and in Safety)"
    )
    assert said.rstrip().endswith("1 overlap at similarity 0.65 or above.")
    code, said, _ = hoshin("assist", "overlaps", plan_file, "--threshold", "0.9")
    assert code == 0 and said.strip() == "No overlaps at similarity 0.90 or above."


def test_overlaps_as_json(plan_file: str) -> None:
    code, said, _ = hoshin("assist", "overlaps", plan_file, "--format", "json")
    assert code == 0
    body = json.loads(said)
    assert (body["space"], body["threshold"], body["total"]) == ("model", 0.65, 1)
    (overlap,) = body["overlaps"]
    assert overlap["kind"] == "objective" and (overlap["first"], overlap["second"]) == ("A1", "A2")
    assert overlap["second_title"] == "Halve machining scrap"
    assert overlap["similarity"] == pytest.approx(0.79, abs=0.01)


def test_check_assist_adds_the_overlap_finding(plan_file: str) -> None:
    code, said, _ = hoshin("check", plan_file, "--as-of", "2026-06-15", "--format", "json")
    assert code == 0 and all(f["code"] != "overlap" for f in json.loads(said)["findings"])
    code, said, _ = hoshin(
        "check", plan_file, "--as-of", "2026-06-15", "--format", "json", "--assist"
    )
    assert code == 0
    (found,) = [f for f in json.loads(said)["findings"] if f["code"] == "overlap"]
    assert (found["severity"], found["subject"]) == ("info", "A2")
    assert found["message"].startswith("overlaps A1 'Cut machining scrap by 40%' (similarity 0.79)")
    code, said, _ = hoshin("check", plan_file, "--as-of", "2026-06-15", "--assist")
    assert code == 0 and "Infos (1)" in said and "merge A2 into A1" in said


def test_parents_and_overlaps_of_an_organisation(url: str) -> None:
    code, said, err = hoshin(
        "assist", "parents", "A1", "--org", "pumps", "--format", "json", url=url
    )
    assert code == 0, err
    assert [r["objective"] for r in json.loads(said)] == ["B1", "B2", "B3"]
    code, said, err = hoshin("assist", "overlaps", "--org", "pumps", "--format", "json", url=url)
    assert code == 0, err
    assert [(o["first"], o["second"]) for o in json.loads(said)["overlaps"]] == [("A1", "A2")]
    code, _, err = hoshin("assist", "overlaps", "--org", "nobody", url=url)
    assert code == 2 and "nobody" in err


def test_a_title_in_square_brackets_is_printed_as_written(tmp_path: Path) -> None:
    # rich would read "[bold]" as markup and drop it; plan text is printed as written.
    path = tmp_path / "brackets.yaml"
    title = "Halve scrap and rework costs by 2029,"
    path.write_text(PLAN.replace(title, f'"[bold]{title[:-1]}",'), "utf-8")
    code, out, _ = hoshin("assist", "parents", str(path), "A1")
    assert code == 0 and "[bold]Halve scrap" in out
