"""``hoshin check --format json`` writes json.dumps's compact ASCII: a text beyond ASCII
escaped, whether or not the report holds one."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hoshin.cli import app

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
# examples/small.yaml's breakthrough objective, which its finding quotes
TITLE = "Cut patient falls from 40 to 10 a month by the end of 2027"
runner = CliRunner()


def _check(path: Path) -> bytes:
    result = runner.invoke(app, ["check", str(path), "--format", "json", "--as-of", "2026-06-15"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _dumped(written: bytes) -> bytes:
    """What json.dumps writes of the same report, compact, and a line break."""
    return json.dumps(json.loads(written), separators=(",", ":")).encode() + b"\n"


def test_an_ascii_plan_s_report() -> None:
    written = _check(SMALL)
    assert written == _dumped(written)


def test_a_title_beyond_ascii_is_escaped(tmp_path: Path) -> None:
    """The finding quotes 'Qualité 検査 ...', written 'Qualit\\u00e9 \\u691c\\u67fb ...'."""
    plan = tmp_path / "plan.yaml"
    text = SMALL.read_text(encoding="utf-8")
    plan.write_text(text.replace(TITLE, "Qualité 検査 " + TITLE), encoding="utf-8")
    written = _check(plan)
    assert b"'Qualit\\u00e9 \\u691c\\u67fb Cut" in written
    assert written == _dumped(written)
