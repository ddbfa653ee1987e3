"""`hoshin worker`: reminders scheduled and the outbox delivered (e-mails, webhook calls)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from hoshin.cli.app import app, parse_day
from hoshin.config import settings
from hoshin.runtime.notifier import INTERVAL_SECONDS, Notifier, PassSummary, one_worker
from hoshin.runtime.sessions import open_sessions


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="One pass, then exit (for cron and tests).")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Schedule reminders as of this day, YYYY-MM-DD (default: today)."
        ),
    ] = None,
    interval: Annotated[
        float, typer.Option(min=1.0, help="Seconds between passes (without --once).")
    ] = INTERVAL_SECONDS,
) -> None:
    """Schedule reminders and deliver queued e-mails and webhook calls on
    HOSHIN_DATABASE_URL: passes until SIGTERM or Ctrl-C, or one with --once. Several
    workers may share a PostgreSQL database; SQLite has one."""
    day = parse_day(as_of, "--as-of") if as_of is not None else None
    config = settings()
    sessions = open_sessions(config.database_url)
    logged = _log_to_stderr()
    try:
        with one_worker(sessions):
            notifier = Notifier(sessions, config=config)
            if once:
                typer.echo(notifier.run_pass(as_of=day).line())
                return
            typer.echo(f"hoshin worker: a pass every {interval:g} s; Ctrl-C stops it")
            first = True

            def said(summary: PassSummary) -> None:
                nonlocal first
                if first or summary.busy():  # idle passes are not worth a line each
                    typer.echo(summary.line())
                first = False

            notifier.run_forever(interval=interval, as_of=day, on_pass=said)
            typer.echo("hoshin worker stopped")
    finally:
        logging.getLogger("hoshin.worker").removeHandler(logged)
        sessions.kw["bind"].dispose()


def _log_to_stderr() -> logging.Handler:
    """The worker's log (retries, failures, e-mail off) on stderr, with the time, for as
    long as the command runs."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log = logging.getLogger("hoshin.worker")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return handler
