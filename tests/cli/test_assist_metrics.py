"""``hoshin assist metrics``: the catalogue searched (or listed) from the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.service.assist.catalogue import catalogue, catalogue_of

runner = CliRunner()
ED = "patients waiting too long in the emergency department"


def test_a_search_prints_each_indicator_with_its_facts_definition_and_score() -> None:
    result = runner.invoke(app, ["assist", "metrics", ED, "--top", "3"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())  # the table wraps long lines
    assert "Emergency department length of stay" in out
    assert "unit minutes · direction decrease · monthly · healthcare" in out
    assert "Median minutes from a patient's arrival" in out
    assert out.count("Emergency") >= 3
    assert "score" in out and "0." in out


def test_json_lists_the_indicators_best_first_with_every_field_and_the_score() -> None:
    result = runner.invoke(app, ["assist", "metrics", ED, "--top", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert len(found) == 3
    assert set(found[0]) == {
        "id", "name", "unit", "direction", "frequency", "definition", "sector", "score",
    }  # fmt: skip
    assert all(item["id"].startswith("ed-") for item in found)
    assert [item["score"] for item in found] == sorted(
        (item["score"] for item in found), reverse=True
    )


def test_a_sector_keeps_the_search_to_its_indicators() -> None:
    result = runner.invoke(
        app, ["assist", "metrics", "waiting", "--sector", "public", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert len(found) == 5  # the default --top
    assert {item["sector"] for item in found} == {"public"}


def test_list_prints_the_whole_catalogue_or_a_sector_without_scores() -> None:
    result = runner.invoke(app, ["assist", "metrics", "--list", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [item["id"] for item in listed] == [kpi.id for kpi in catalogue()]
    assert "score" not in listed[0]
    result = runner.invoke(app, ["assist", "metrics", "--list", "--sector", "software"])
    assert result.exit_code == 0, result.output
    assert f"{len(catalogue_of('software'))} indicators" in result.stdout
    assert "Change failure rate" in result.stdout
    header = next(line for line in result.stdout.splitlines() if "indicator" in line)
    assert header.split() == ["#", "indicator"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "the search for a metric is empty"),
        (["  "], "the search for a metric is empty"),
        (["x" * 10_001], "is 10,001 characters long: at most 10,000"),
        (["scrap", "--sector", "retail"], "unknown sector 'retail': one of manufacturing"),
        (["--list", "--sector", "retail"], "unknown sector 'retail'"),
        (["scrap", "--top", "0"], "top: 0 is not between 1 and 50"),
        (["scrap", "--list"], "give a search or --list, not both"),
    ],
)
def test_a_bad_search_says_why_and_exits_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["assist", "metrics", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""
