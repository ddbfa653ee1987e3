"""A setting of the wrong kind is a message naming its variable and exit 2, never a
traceback, from any command that reads the settings."""

from __future__ import annotations

from typer.testing import CliRunner

from hoshin.cli import app

runner = CliRunner()


def test_a_setting_of_the_wrong_kind_is_named_with_its_value() -> None:
    env = {"HOSHIN_MAX_BODY_BYTES": "abc", "HOSHIN_LLM_TIMEOUT": "soon"}
    result = runner.invoke(app, ["db", "upgrade"], env=env)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    wrong = "Input should be a valid integer, unable to parse string as an integer"
    assert f"HOSHIN_MAX_BODY_BYTES: {wrong} (it is 'abc')" in lines
    assert any(
        line.startswith("HOSHIN_LLM_TIMEOUT: Input should be a valid number") for line in lines
    )
    assert "Traceback" not in result.output
