"""Commands that change data take turns on one database: several `hoshin user add` at once
all succeed (on SQLite each begins with the write lock, after the writers' turn), and a
database still locked by another writer after the busy timeout is a message and exit 2,
never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import func, select
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.runtime import engine
from hoshin.runtime.sessions import one_session, upgrade_database
from hoshin.runtime.turns import turn_of
from hoshin.service import account
from hoshin.store.user import UserRow
from notify_support import Answer, Request, running_receiver

runner = CliRunner()
SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
WRITERS = 6
PASSWORD = "correct horse battery staple"
BUSY = "hoshin: the database is busy: another hoshin command is writing; try again\n"

# `hoshin` once every one of the commands has imported hoshin (the slow part of a start):
# each says it is ready in a file of its own, then waits for the file ``go``, so that the
# writers really come at once.
_AT_ONCE = """\
import sys, time
from pathlib import Path
from hoshin.cli import main
folder = Path(sys.argv[1])
(folder / f"ready.{sys.argv[2]}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
sys.argv[:3] = ["hoshin"]
main()
"""


def hoshin(url: str, *args: str, input: str | None = None) -> tuple[int, str]:
    """Runs a command in this process against ``url``: (exit code, stderr)."""
    result = runner.invoke(app, list(args), input=input, env={"HOSHIN_DATABASE_URL": url})
    return result.exit_code, result.stderr


def user_count(url: str) -> int:
    """How many users the database holds."""
    with one_session(url, writing=False) as session:
        return session.scalar(select(func.count()).select_from(UserRow)) or 0


def user_add(url: str, folder: Path, number: int) -> subprocess.Popen[str]:
    """`hoshin user add u{number}@acme.org` in a process of its own, started at once
    (_AT_ONCE in ``folder``), its password still to give on stdin."""
    command = ["user", "add", f"u{number}@acme.org", "--org", "acme", "--role", "viewer"]
    return subprocess.Popen(
        [sys.executable, "-c", _AT_ONCE, str(folder), str(number), *command, "--password-stdin"],
        env={**os.environ, "HOSHIN_DATABASE_URL": url},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_six_user_adds_at_once_all_succeed(database_url: str, tmp_path: Path) -> None:
    """Six processes add six users at the same moment: each exits 0 with its line, and
    the database then holds the six (before the turns, on SQLite, most of them failed with
    a "database is locked" traceback: each read the users, then wrote after another's
    commit)."""
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    adds = [user_add(database_url, tmp_path, number) for number in range(WRITERS)]
    try:
        deadline = time.monotonic() + 120
        while len(list(tmp_path.glob("ready.*"))) < WRITERS:
            assert all(add.poll() is None for add in adds), "a command ended before its start"
            assert time.monotonic() < deadline, "the commands did not start within 120 s"
            time.sleep(0.05)
        for add in adds:  # every password in its pipe before they go: none waits for it
            assert add.stdin is not None
            add.stdin.write(PASSWORD + "\n")
            add.stdin.flush()
        (tmp_path / "go").touch()
        done = [add.communicate(timeout=120) for add in adds]
    finally:
        for add in adds:
            if add.poll() is None:
                add.kill()
                add.wait()
    for number, (add, (out, err)) in enumerate(zip(adds, done, strict=True)):
        added = f"added u{number}@acme.org as viewer of acme\n"
        assert (add.returncode, out, err) == (0, added, "")
    assert user_count(database_url) == WRITERS


@pytest.fixture
def cheap_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2: the commands run in this process."""
    hasher = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account, "password_hash", PasswordHash((hasher,)))


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A SQLite database with the organisation acme and its viewer ana@acme.org whose write
    lock another program holds (BEGIN IMMEDIATE outside hoshin, so outside the writers'
    turn) for as long as the test runs; hoshin waits 50 ms for it instead of 5 s."""
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    upgrade_database(url)
    assert hoshin(url, "org", "create", "acme", "Acme")[0] == 0
    add = ("user", "add", "ana@acme.org", "--org", "acme", "--role", "viewer")
    assert hoshin(url, *add, "--password-stdin", input=PASSWORD + "\n")[0] == 0
    monkeypatch.setattr(engine, "SQLITE_BUSY_MS", 50)
    other = sqlite3.connect(tmp_path / "hoshin.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield url
    finally:
        other.rollback()
        other.close()


@pytest.mark.usefixtures("cheap_hash")
@pytest.mark.parametrize(
    "command",
    [
        ("org", "create", "beta", "Beta"),
        ("user", "add", "bo@acme.org", "--org", "acme", "--role", "editor", "--password-stdin"),
        ("user", "role", "ana@acme.org", "--org", "acme", "--role", "editor"),
        ("user", "password", "ana@acme.org", "--password-stdin"),
        ("user", "disable", "ana@acme.org"),
        ("token", "create", "--user", "ana@acme.org"),
        ("import", str(SMALL), "--org", "acme"),
        ("webhook", "add", "--org", "acme", "http://127.0.0.1:9/hook"),
        ("setup", "--demo"),
        ("worker", "--once"),
    ],
    ids=lambda command: " ".join(command[:2]).replace(str(SMALL), "small.yaml"),
)
def test_a_database_locked_past_the_busy_timeout_is_a_message_and_exit_2(
    locked: str, command: tuple[str, ...]
) -> None:
    """Each command that writes waits the busy timeout, then says the database is busy
    and exits 2, with no traceback; nothing of it is saved."""
    assert hoshin(locked, *command, input=f"{PASSWORD} and more\n") == (2, BUSY)
    assert user_count(locked) == 1


def test_a_migration_waits_its_turn_and_then_says_the_database_is_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`hoshin db upgrade` of an empty file whose write lock another program holds."""
    monkeypatch.setattr(engine, "SQLITE_BUSY_MS", 50)
    other = sqlite3.connect(tmp_path / "hoshin.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert hoshin(f"sqlite:///{tmp_path / 'hoshin.db'}", "db", "upgrade") == (2, BUSY)
    finally:
        other.rollback()
        other.close()


@pytest.mark.parametrize(
    "command",
    [
        ("org", "list"),
        ("token", "list", "--user", "ana@acme.org"),
        ("audit", "--system"),
        ("export", "--org", "acme"),
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_commands_that_only_read_answer_beside_a_writer(
    locked: str, command: tuple[str, ...]
) -> None:
    """A command that only reads takes no turn: it answers while the lock is held (WAL)."""
    assert hoshin(locked, *command)[0] == 0


def test_a_webhook_test_call_waits_outside_the_writers_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`hoshin webhook test` reads the webhook, then calls it without the writers' turn (a
    slow receiver delays no one else's change), then logs the answer."""
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    upgrade_database(url)
    assert hoshin(url, "org", "create", "acme", "Acme")[0] == 0
    turn = turn_of(engine.make_engine(url))  # the commands' turn: one per database file
    held: list[bool] = []
    with running_receiver() as receiver:
        answer = receiver.answer

        def noting(request: Request) -> Answer:
            held.append(turn.taken())
            return answer(request)

        monkeypatch.setattr(receiver, "answer", noting)
        assert hoshin(url, "webhook", "add", "--org", "acme", receiver.url)[0] == 0
        assert hoshin(url, "webhook", "test", "--org", "acme", "1") == (0, "")
    assert held == [False]
