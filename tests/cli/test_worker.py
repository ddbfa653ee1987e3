"""``hoshin worker`` end to end on the demo plan, on SQLite and PostgreSQL, with a real SMTP
server: what it sends, a second pass sending nothing, a worker killed with SIGKILL in the
middle of a send, and two workers sharing PostgreSQL's outbox.

The demo of 2026-06-15 (``hoshin demo --today 2026-06-15``) has actuals up to May 2026. As
of 2026-07-01 (June's end + 1, lead days 0) it owes, by hand from its plan file:
- 40 actuals due for June: its 39 monthly metrics and its quarterly one (June ends Q2),
  every objective running in June (T1 ends 2026-06), each to its owner;
- 3 deadlines: action a28 (rossi, due 2026-05-28, not done) overdue; countermeasures cm2
  and cm4 (open, due 2026-07-06, within 7 days) soon;
- red in May: seal-failures and schedule-adherence, answered by cm2 and cm4, and
  callout-4h (A4, owner walsh, unit service) without a countermeasure: walsh is told of
  its June actual first, and the quiet rule (one reminder per person and item a day)
  holds his red back; martins, who leads service, is told it is red: 1 metric_red;
- no escalation (0 days late) and no weekly digest (a Wednesday).
Every person of the demo has an address and the default choice (e-mail and in-app), so 44
e-mails: 40 "... is due", 1 "... is overdue since ...", 2 "... is due on 2026-07-06" and
1 "... is red in May 2026".
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from hoshin.cli import app
from notify_support import WAIT_SECONDS, SmtpServer, running_smtp

runner = CliRunner()
AS_OF = "2026-07-01"
EMAILS = 44


def hoshin(url: str, *args: str, smtp: str = "") -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    env = {"HOSHIN_DATABASE_URL": url, "HOSHIN_SMTP_URL": smtp}
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def load_demo(url: str, folder: Path) -> None:
    plan = folder / "demo.yaml"
    assert runner.invoke(app, ["demo", str(plan), "--today", "2026-06-15"]).exit_code == 0
    assert hoshin(url, "org", "create", "demo", "Northbeck")[0] == 0
    assert hoshin(url, "import", str(plan), "--org", "demo")[0] == 0


def kind(message: EmailMessage) -> str:
    subject = str(message["Subject"])
    for words, name in ((" is overdue since ", "overdue"), (" is due on ", "soon"),
                        (" is red in ", "red")):  # fmt: skip
        if words in subject:
            return name
    return "actual due" if subject.endswith(" is due") else subject


def worker(url: str, smtp: str) -> subprocess.Popen[str]:
    """``hoshin worker --once`` in a process of its own."""
    env = {**os.environ, "HOSHIN_DATABASE_URL": url, "HOSHIN_SMTP_URL": smtp}
    command = [sys.executable, "-m", "hoshin", "worker", "--once", "--as-of", AS_OF]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def until(condition: Callable[[], bool]) -> None:
    """Waits for ``condition`` (something another process does at once), at most WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.05)


def ids(smtp: SmtpServer) -> Counter[str]:
    return Counter(str(message["Message-ID"]) for message in smtp.messages)


def test_the_demo_is_told_once(database_url: str, tmp_path: Path) -> None:
    load_demo(database_url, tmp_path)
    with running_smtp() as smtp:
        code, out, err = hoshin(database_url, "worker", "--once", "--as-of", AS_OF, smtp=smtp.url)
        assert code == 0, err
        assert out == (
            "scheduled 1 organisation(s), told 44 notice(s), sent 44 e-mail(s) and 0 webhook "
            "call(s), 0 to retry, 0 failed\n"
        )
        assert Counter(kind(m) for m in smtp.messages) == {
            "actual due": 40,
            "overdue": 1,
            "soon": 2,
            "red": 1,
        }
        assert len(ids(smtp)) == EMAILS  # one message per key
        rossi = next(m for m in smtp.messages if kind(m) == "overdue")
        assert rossi["To"] == "elena.rossi@northbeck.example"
        assert rossi["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/unsubscribe/")
        code, out, _ = hoshin(database_url, "worker", "--once", "--as-of", AS_OF, smtp=smtp.url)
        assert (code, len(smtp.messages)) == (0, EMAILS)
        assert "told 0 notice(s), sent 0 e-mail(s)" in out


def idle_transactions_gone(url: str) -> Callable[[], bool]:
    """Whether PostgreSQL has ended the killed worker's transaction (and its row lock)."""
    engine = create_engine(url, poolclass=NullPool)

    def gone() -> bool:
        with engine.connect() as connection:
            query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         "AND state LIKE 'idle in transaction%'")  # fmt: skip
            return bool(connection.scalar(query) == 0)

    return gone


def test_a_worker_killed_mid_send_then_run_again_sends_each_message_once(
    database_url: str, backend: str, tmp_path: Path
) -> None:
    load_demo(database_url, tmp_path)
    # e-mail off: the 44 e-mails are queued and wait
    code, out, _ = hoshin(database_url, "worker", "--once", "--as-of", AS_OF)
    assert code == 0 and "44 e-mail(s) wait" in out
    with running_smtp() as smtp:
        smtp.hold(5)  # the 5th message waits inside DATA
        killed = worker(database_url, smtp.url)
        assert smtp.held.wait(WAIT_SECONDS)
        if backend == "sqlite":  # one worker only, said plainly
            code, _, err = hoshin(database_url, "worker", "--once", smtp=smtp.url)
            assert code == 2 and "another hoshin worker is running on the SQLite database" in err
        killed.kill()
        killed.communicate()
        smtp.release(record=False)  # the killed worker never saw 250: not delivered
        assert len(smtp.messages) == 4
        if backend == "postgresql":
            until(idle_transactions_gone(database_url))
        code, out, err = hoshin(database_url, "worker", "--once", "--as-of", AS_OF, smtp=smtp.url)
        assert code == 0, err
        assert "sent 40 e-mail(s)" in out  # 44 - the 4 recorded before the kill
        assert len(smtp.messages) == EMAILS and set(ids(smtp).values()) == {1}


@pytest.mark.parametrize("backend", ["postgresql"])
def test_two_workers_share_the_outbox(database_url: str, tmp_path: Path) -> None:
    """The first message sent is held: its worker holds its row locked, the other worker
    sends the 43 others meanwhile (SKIP LOCKED), then the first records its one."""
    load_demo(database_url, tmp_path)
    assert hoshin(database_url, "worker", "--once", "--as-of", AS_OF)[0] == 0
    with running_smtp() as smtp:
        smtp.hold(1)
        workers = [worker(database_url, smtp.url), worker(database_url, smtp.url)]
        assert smtp.held.wait(WAIT_SECONDS)
        until(lambda: len(smtp.messages) == EMAILS - 1)
        smtp.release(record=True)
        outputs = [process.communicate()[0] for process in workers]
        assert [process.returncode for process in workers] == [0, 0]
        sent = sorted(int(out.split("sent ")[1].split(" ")[0]) for out in outputs)
        assert sent == [1, EMAILS - 1]
        assert len(smtp.messages) == EMAILS and set(ids(smtp).values()) == {1}
