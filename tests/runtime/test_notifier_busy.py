"""A worker pass that finds the SQLite file's write lock held by another program past the
busy timeout logs one line, without a traceback, and the next pass runs as usual."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from factories import make_organization
from hoshin.config import Settings
from hoshin.planfile import read_plan
from hoshin.runtime import engine as db
from hoshin.runtime.engine import make_engine, session_factory
from hoshin.runtime.notifier import Notifier, PassSummary
from hoshin.store.migrate import upgrade

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
BUSY = "the worker's pass found the database busy: next pass"


def test_a_pass_locked_out_by_another_program_logs_one_line_and_the_next_pass_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_MS", 100)
    path = tmp_path / "hoshin.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        make_organization(session, slug="clinic", name="Clinic", plan=SMALL)
        session.commit()
    notifier = Notifier(sessions, config=Settings(smtp_url=""))
    passes: list[PassSummary] = []

    def said(summary: PassSummary) -> None:  # the first pass that ends well ends the run
        passes.append(summary)
        notifier.stop()

    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # every pass writes the day's digests first
    caplog.set_level(logging.INFO, logger="hoshin.worker")
    worker = threading.Thread(
        target=notifier.run_forever,
        kwargs={"interval": 0.05, "as_of": date(2026, 6, 2), "on_pass": said},
    )
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while BUSY not in caplog.messages and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        other.execute("ROLLBACK")
        other.close()
    worker.join(timeout=30)
    engine.dispose()
    assert not worker.is_alive()
    assert BUSY in caplog.messages
    busy = [r for r in caplog.records if r.getMessage() == BUSY]
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in busy)
    assert not any(r.exc_info for r in caplog.records)  # no traceback at all
    assert len(passes) == 1  # then a pass ran to its end
