"""``hoshin check`` on examples/small.yaml, whose analysis is worked out by hand below."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hoshin.cli import app

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
runner = CliRunner()


def check_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["check", str(SMALL), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_metric_figures_at_mid_june() -> None:
    """As of 2026-06-15 the latest actuals are May's (the as-of month is June).

    falls: decrease, 40 in 2025-05, rate -0.5/yr, 24 months -> target 40 * 0.5**2 = 10.
      planned 2026-05 (12 of 24 months): 40 * (10/40)**(12/24) = 40 * 0.5 = 20
      progress (22-40)/(10-40) = 0.6; planned progress (20-40)/(10-40) = 2/3
      deviation (22-20)/(10-40) = -0.0667 -> amber (tolerance 0.10)
    huddles: 0 in 2025-12 -> 100 in 2026-10, linear, T=10; May is 5 months in: planned 50.
      actual 60 -> progress 0.6, planned progress 0.5, deviation +0.1 -> green
    trained: 0 in 2026-01 -> 40 in 2026-09, T=8; May is 4 months in: planned 20.
      actual 10 -> progress 0.25, planned 0.5, deviation -10/40 = -0.25 -> red
    """
    metrics = check_json("--as-of", "2026-06-15")["metrics"]
    falls = metrics["falls"]
    assert (falls["current"], falls["current_period"], falls["planned"]) == (22, "2026-05", 20)
    assert falls["progress"] == pytest.approx(0.6)
    assert falls["planned_progress"] == pytest.approx(2 / 3)
    assert falls["status"] == "amber"
    huddles = metrics["huddles"]
    assert (huddles["planned"], huddles["progress"], huddles["status"]) == (50, 0.6, "green")
    trained = metrics["trained"]
    assert (trained["planned"], trained["progress"], trained["status"]) == (20, 0.25, "red")


def test_objective_roll_up_at_mid_june() -> None:
    """T1 = trained: 0.25 vs 0.5 -> deviation -0.25 -> red.
    A1 = huddles (0.6 | 0.5) and T1 (0.25 | 0.5), weight 1 each: 0.425 vs 0.5 -> -0.075 amber.
    B1 = falls (0.6 | 2/3) and A1 (0.425 | 0.5): 0.5125 vs 0.58333 -> -0.0708 amber.
    """
    objectives = check_json("--as-of", "2026-06-15")["objectives"]
    assert objectives["T1"]["status"] == "red"
    assert objectives["A1"]["progress"] == pytest.approx(0.425)
    assert objectives["A1"]["status"] == "amber"
    assert objectives["B1"]["progress"] == pytest.approx(0.5125)
    assert objectives["B1"]["planned_progress"] == pytest.approx(7 / 12)
    assert objectives["B1"]["status"] == "amber"


def test_backward_schedule_at_mid_june() -> None:
    """a1: 10 days, 50% done -> 5 days left; own due 06-30 -> latest start 06-26.
    a2 requires a1: 30 days due 07-31 -> latest start 07-02; a1 must finish by 07-01 (06-30 wins).
    Forward: a1 06-15..06-19, a2 06-20..07-19. Slack a1 = 11, a2 = 12.
    a3: 60 days due 07-31 -> latest start 07-31 - 59 = 06-02, earliest 06-15: slack -13,
    so B1 (served by a3) is 13 days late with a3 critical; A1's chain is feasible, a1 critical.
    """
    data = check_json("--as-of", "2026-06-15")
    actions = data["actions"]
    assert actions["a1"] == {
        "earliest_start": "2026-06-15",
        "earliest_finish": "2026-06-19",
        "latest_start": "2026-06-26",
        "latest_finish": "2026-06-30",
        "slack_days": 11,
    }
    assert (actions["a2"]["earliest_start"], actions["a2"]["latest_start"]) == (
        "2026-06-20",
        "2026-07-02",
    )
    assert actions["a3"]["slack_days"] == -13
    assert data["objectives"]["B1"]["schedule"] == {
        "feasible": False,
        "days_late": 13,
        "critical": ["a3"],
    }
    assert data["objectives"]["A1"]["schedule"]["critical"] == ["a1"]
    assert [f["code"] for f in data["findings"]] == ["infeasible_schedule"]
    assert data["summary"] == {
        "objectives": 3,
        "green": 0,
        "amber": 2,
        "red": 1,
        "no_data": 0,
        "unmeasured": 0,
        "alignment_coverage": 1.0,
    }


def test_strict_exits_1_on_a_warning_and_0_without_strict() -> None:
    assert runner.invoke(app, ["check", str(SMALL), "--as-of", "2026-06-15"]).exit_code == 0
    strict = runner.invoke(app, ["check", str(SMALL), "--as-of", "2026-06-15", "--strict"])
    assert strict.exit_code == 1


def test_text_report_shows_tree_bowling_findings_and_critical_path() -> None:
    result = runner.invoke(app, ["check", str(SMALL), "--as-of", "2026-06-15"])
    out = result.stdout
    assert "Riverside Clinic as of 2026-06-15" in out
    assert "▲ amber" in out and "B1 Cut patient falls" in out
    assert "13 days late" in out
    assert "Bowling chart, fiscal year from 2026-01" in out
    assert "27■   25■   22▲" in out
    assert "Warnings (1)" in out and "infeasible_schedule" in out
    assert "Critical path of B1: 13 days late" in out
    assert "a3      2026-06-15..2026-08-13  2026-06-02..2026-07-31    -13  Buy and fit" in out


def test_depth_limits_the_tree() -> None:
    result = runner.invoke(app, ["check", str(SMALL), "--as-of", "2026-06-15", "--depth", "1"])
    assert "B1 Cut patient falls" in result.stdout
    assert "T1 Train 40 nurses" not in result.stdout


def test_bad_file_exits_2_with_file_line_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("target: 100", "target: lots"))
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:49: objectives[1].metrics[0].target: expected a number, got 'lots'" in (
        result.stderr
    )


def test_bad_as_of_and_missing_file_exit_2() -> None:
    bad_date = runner.invoke(app, ["check", str(SMALL), "--as-of", "2026-13-01"])
    assert bad_date.exit_code == 2
    assert "--as-of: '2026-13-01' is not a date" in bad_date.stderr
    far = runner.invoke(app, ["check", str(SMALL), "--as-of", "9999-12-31"])
    assert far.exit_code == 2
    assert "--as-of: 9999-12-31 is outside the calendar: hoshin plans the years" in far.stderr
    missing = runner.invoke(app, ["check", "no-such-plan.yaml"])
    assert missing.exit_code == 2
    assert "no-such-plan.yaml:1: cannot read the file" in missing.stderr


def test_real_command_prints_no_traceback_for_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("hoshin: 1\norganization: {name: X}\nobjectives:\n  - id: [oops\n")
    done = subprocess.run(
        [sys.executable, "-m", "hoshin", "check", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{bad}:")
