"""``hoshin check`` and ``hoshin import`` on hostile plan files, run as a user runs them, each
in its own process: exit 2 with FILE:LINE: and a message, no traceback, no crash (before:
a segfault, exit 139), and no more memory than reading a small plan takes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app

MOST_MEMORY_KB = 300_000  # `hoshin check` on a small plan peaks near 100 MB
HEAD = "hoshin: 1\norganization: {name: Acme}\n"
DEEP = "nested deeper than 64 levels"


def deep_block() -> str:
    return HEAD + "vision:\n  values:\n    " + "- " * 25_000 + "x\n"


def deep_flow() -> str:
    return HEAD + "vision: {values: " + "[" * 25_000 + "]" * 25_000 + "}\n"


def deep_json(levels: int) -> Callable[[], str]:
    def text() -> str:
        head = '{"hoshin": 1,\n "organization": {"name": "A"},\n "vision": {"values":\n'
        return head + "[" * levels + "]" * levels + "}}\n"

    return text


def ten_kb_aliased() -> str:
    """The issue's: one 10 KB string aliased 50,000 times, 160 KB repeating 500 MB."""
    aliases = ", ".join(["*s"] * 50_000)
    return HEAD + f"vision:\n  statement: &s {'x' * 10_000}\n  values: [{aliases}]\n"


def laughs() -> str:
    """The billion laughs: nine anchors, each ten aliases of the one before."""
    lines = [HEAD + "vision:", "  values: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        lines.append(f"  k{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def alias_chain() -> str:
    """25,000 anchors, each a sequence holding an alias of the one before."""
    return HEAD + "k0: &a0 [x]\n" + "".join(f"k{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 25_000))


HOSTILE = [
    ("deep-block.yaml", deep_block, f":5: {DEEP}"),
    ("deep-flow.yaml", deep_flow, f":3: {DEEP}"),
    ("deep-1000.json", deep_json(1_000), f":4: {DEEP}"),
    ("deep-100000.json", deep_json(100_000), f":4: {DEEP}"),
    (
        "ten-kb-aliased.yaml",
        ten_kb_aliased,
        ":5: the aliases repeat more than 1,000,000 characters",
    ),
    ("laughs.yaml", laughs, ":9: the aliases repeat more than 1,000,000 characters"),
    ("alias-chain.yaml", alias_chain, f":66: {DEEP} through aliases"),
]


# Started from a small Python of its own, which waits for the command and prints its peak
# memory: Linux counts in a child's peak the memory of the process it was forked from, and
# pytest's own grows past the limit over the whole suite.
MEASURED = """
import os, subprocess, sys
command = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(command.pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, int]:
    """(exit code, stderr, peak memory in KB) of the real command in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, sys.executable, "-m", "hoshin", *args],
        capture_output=True, env={**os.environ, **(env or {})}, check=False,
    )  # fmt: skip
    return done.returncode, done.stderr.decode(), int(done.stdout)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a SQLite database with an organisation 'acme'."""
    env = {"HOSHIN_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'hoshin.db'}"}
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(app, ["org", "create", "acme", "Acme"], env=env).exit_code == 0
    return env


@pytest.mark.parametrize(("name", "make", "expected"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_check_and_import_refuse_a_hostile_file_at_its_line(
    name: str, make: Callable[[], str], expected: str, tmp_path: Path, database: dict[str, str]
) -> None:
    path = tmp_path / name
    path.write_text(make(), encoding="utf-8")
    for command in (["check", str(path)], ["import", str(path), "--org", "acme"]):
        code, err, memory = run(*command, env=database)
        assert code == 2, (command, code, err[-500:])
        assert err.startswith(f"{path}{expected}"), err[:500]
        assert "Traceback" not in err and err.count("\n") == 1
        assert memory < MOST_MEMORY_KB, (command, memory)


def test_a_nul_in_a_title_exits_2_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_text(
        HEAD + 'objectives:\n  - {id: B1, level: breakthrough, title: "a\\0b"}\n', encoding="utf-8"
    )
    code, err, _ = run("check", str(path))
    assert code == 2
    assert err == (
        f"{path}:4: objectives[0].title: contains the control character U+0000, "
        "which is not allowed\n"
    )
