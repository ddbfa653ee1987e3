"""``hoshin assist draft``: the fragment it prints, its options, and what it refuses."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from llm_server import chat_server

runner = CliRunner()
HALVE = "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029"


@pytest.fixture(autouse=True)
def no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOSHIN_LLM_URL", raising=False)


def draft(*args: str) -> str:
    result = runner.invoke(app, ["assist", "draft", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_draft_prints_a_yaml_fragment_with_each_year_s_target() -> None:
    printed = draft(HALVE, "--as-of", "2026-12-01")
    assert printed.splitlines()[0] == f"# Drafted from: {HALVE}"
    # 24 halved each year from 2026-12: 12, 6, 3
    assert "# Target at each year's end: 2027: 12, 2028: 6, 2029: 3\n" in printed
    assert "\nobjectives:\n- id: O1\n" in printed
    for line in (
        "  level: breakthrough",
        "    name: Warranty claims per 1,000 pumps",
        "    direction: decrease",
        "    baseline: 24",
        "    baseline_period: 2026-12",
        "    rate_per_year: -0.5",
        "    target_period: 2029-12",
    ):
        assert line + "\n" in printed


def test_level_and_json() -> None:
    data = json.loads(
        draft(
            "cut lead time from 9 to 4 weeks by Q4 2027",
            "--as-of",
            "2026-06-15",
            "--level",
            "team",
            "--format",
            "json",
        )
    )
    assert data["objectives"][0]["level"] == "team"
    # 18 months from 9 to 4: the end of 2026 is 9 - 5 * 6/18 = 7.333
    assert data["this_year"] == pytest.approx(7.3333, abs=1e-4)
    assert [row["year"] for row in data["yearly_targets"]] == [2026, 2027]


def test_a_fiscal_year_from_april() -> None:
    # FY2028 from April is 2028-04 to 2029-03
    printed = draft("Cut energy use from 1,200 to 900 MWh by FY2028", "--as-of",
                    "2026-12-01", "--fiscal-year-start", "4")  # fmt: skip
    assert "    target_period: 2029-03\n" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["improve quality"], "no number to aim at"),
        (["cut lead time from 9 to 4 weeks by Q4 2024", "--as-of", "2026-01-05"],
         "is not after 2026-01"),
        (["cut lead time from 9 to 4 weeks by Q4 2027", "--as-of", "2026-13-01"],
         "--as-of: '2026-13-01' is not a date"),
    ],
)  # fmt: skip
def test_what_cannot_be_read_exits_2_saying_why(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["assist", "draft", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_level_or_format_is_refused() -> None:
    for option, value in (("--level", "board"), ("--format", "xml")):
        result = runner.invoke(app, ["assist", "draft", HALVE, option, value])
        assert result.exit_code == 2
        assert value in result.output


def test_rewrite_without_a_chat_model_says_so_and_drafts_all_the_same() -> None:
    result = runner.invoke(app, ["assist", "draft", HALVE, "--rewrite", "--as-of", "2026-06-01"])
    assert result.exit_code == 0
    assert "no chat model is configured (HOSHIN_LLM_URL)" in result.stderr
    assert f"  title: {HALVE}\n" in result.stdout


def test_rewrite_with_a_chat_model_polishes_the_title(monkeypatch: pytest.MonkeyPatch) -> None:
    with chat_server(reply="Halve warranty claims per 1,000 pumps each year to 2029") as server:
        monkeypatch.setenv("HOSHIN_LLM_URL", server.url)
        printed = draft(HALVE, "--rewrite", "--as-of", "2026-06-01")
    assert "  title: Halve warranty claims per 1,000 pumps each year to 2029\n" in printed
    assert len(server.requests) == 1
