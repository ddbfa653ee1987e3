"""Schemathesis run as a user would run it, against ``hoshin serve`` and its live schema, on
SQLite and PostgreSQL: every check (``--checks all``), a bounded time, no failure allowed,
server errors above all.

tests/api/test_openapi_fuzz.py fuzzes the API app in process, operation by operation; this
one goes through what a client meets: uvicorn, the guards (sizes, control characters,
forged requests, headers), the pages mounted beside the API, and its stateful phase, which
chains operations by their links.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from .web_support import ADMIN, ORG, PASSWORD, SMALL_PLAN, running_server

CONFIG = Path(__file__).with_name("schemathesis.toml")
SECONDS = 30  # per database: the whole run's budget (schemathesis --max-time)
# What would end the fuzzer's own credentials, leaving every later request at 401: revoking
# its token, changing its password (which revokes every token of the user), signing out.
EXCLUDED = (
    "--exclude-path", "/api/v1/me/tokens/{token_id}",
    "--exclude-path", "/api/v1/me/password",
    "--exclude-path", "/api/v1/session",
)  # fmt: skip


def _hoshin(database_url: str, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "hoshin", *args],
        env={**os.environ, "HOSHIN_DATABASE_URL": database_url},
        input=stdin, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"hoshin {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def test_schemathesis_finds_nothing_on_the_served_api(database_url: str, tmp_path: Path) -> None:
    _hoshin(database_url, "org", "create", ORG, "Riverside Clinic")
    _hoshin(database_url, "import", str(SMALL_PLAN), "--org", ORG)
    add = ["user", "add", ADMIN, "--org", ORG, "--role", "admin", "--password-stdin"]
    _hoshin(database_url, *add, stdin=f"{PASSWORD}\n")
    created = _hoshin(database_url, "token", "create", "--user", ADMIN, "--name", "fuzz")
    token = re.search(r"hsn_[A-Za-z0-9_-]+", created)
    assert token is not None, created
    with running_server(database_url, tmp_path / "serve.log") as base_url:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "--config-file", str(CONFIG), "run", f"{base_url}/api/openapi.json",
                "--checks", "all", "--header", f"Authorization: Bearer {token.group()}",
                "--max-time", str(SECONDS), "--seed", "1", "--workers", "1",
                "--report", "junit", "--report-dir", str(tmp_path / "report"),
                *EXCLUDED,
            ],
            capture_output=True, text=True, timeout=SECONDS * 4, check=False,
            env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""},
        )  # fmt: skip
    summary = run.stdout[run.stdout.rfind("SUMMARY") :] if "SUMMARY" in run.stdout else run.stdout
    assert "Server error" not in run.stdout, run.stdout[-20_000:]
    assert run.returncode in (0, 1), summary + run.stderr[-5_000:]  # 1: it found something
    found = findings(tmp_path / "report")
    assert not found, "\n\n".join(found)


def findings(report: Path) -> list[str]:
    """Each failure of the JUnit report, but schemathesis' own mistake: a request it made as a
    valid one ("Invalid component: positive test case") counted as invalid data accepted
    (ST201). It came once in a fresh clone's run, on a GET of a unit made in its stateful
    phase, whose every part the schema allows; any other ST201 names what it broke."""
    failures = [
        failure.text or ""
        for path in report.glob("junit*.xml")
        for failure in ElementTree.parse(path).iter("failure")
    ]
    return [
        text
        for text in failures
        if not ("ST201" in text and "Invalid component: positive test case" in text)
    ]
