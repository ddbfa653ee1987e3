"""`make bench-notify`: the worker's outbox throughput and one scheduler pass at enterprise size.

`.venv/bin/python -m bench.outbox`. For each database of BENCH_NOTIFY_DATABASES (default
"sqlite,postgresql"; PostgreSQL at BENCH_POSTGRES_URL as bench.server):
1. throughput: BENCH_NOTIFY_MESSAGES (2000) e-mails to a local aiosmtpd and as many webhook
   calls to a local HTTP receiver, queued, then delivered by one worker's pass (one SMTP
   connection; one transaction per message): messages a second;
2. for each size of BENCH_NOTIFY_SIZES (people, default "10000,50000"): the enterprise plan
   (bench.enterprise, with unit leads as bench.reminders gives them) imported as
   bench.server does, served by `hoshin serve`, and one scheduler pass as of Monday
   2027-02-08 (January's actuals 7 days late: escalations, red metrics, the digest): the
   load (plan, analysis, reminders) and the telling, each timed; meanwhile one client
   records check-ins through the API one after the other, and their latency (p50, p95,
   max) is compared with the same check-ins without a pass.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from bench.enterprise import enterprise_plan
from bench.reminders import MONDAY, with_leads
from bench.server import (
    HOST,
    SLUG,
    free_port,
    fresh_database,
    import_plan,
    log,
    serving,
    wait_until_up,
)
from hoshin.config import Settings
from hoshin.runtime.engine import session_factory
from hoshin.runtime.notifier import Notifier, PassSummary
from hoshin.runtime.sessions import open_engine, upgrade_database
from hoshin.service.organization import create_organization
from hoshin.service.scheduler import owed
from hoshin.store.notification import WebhookRow, insert_outbox
from hoshin.store.organization import get_organization

DATABASES = [
    s for s in os.environ.get("BENCH_NOTIFY_DATABASES", "sqlite,postgresql").split(",") if s
]
SIZES = [int(s) for s in os.environ.get("BENCH_NOTIFY_SIZES", "10000,50000").split(",") if s]
MESSAGES = int(os.environ.get("BENCH_NOTIFY_MESSAGES", "2000"))
CHECKINS = 200  # check-ins timed with and without a pass


class _Counting:
    """An aiosmtpd handler that accepts and counts."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.count += 1
        return "250 OK"


@contextmanager
def receivers() -> Iterator[tuple[str, str, _Counting]]:
    """A local SMTP server and HTTP receiver: (SMTP URL, webhook URL, SMTP counter)."""
    counting = _Counting()
    smtp = Controller(counting, hostname=HOST, port=free_port())
    smtp.start()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real endpoint would

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    http_server = ThreadingHTTPServer((HOST, 0), Handler)
    http_server.daemon_threads = True
    thread = threading.Thread(target=http_server.serve_forever, daemon=True)
    thread.start()
    try:
        yield (
            f"smtp://{HOST}:{smtp.port}",
            f"http://{HOST}:{http_server.server_address[1]}/h",
            counting,
        )
    finally:
        http_server.shutdown()
        http_server.server_close()
        smtp.stop()


def throughput(database: str) -> str:
    """One Markdown row: e-mails and webhook calls delivered a second on ``database``."""
    with fresh_database(database) as url, receivers() as (smtp_url, hook_url, counting):
        upgrade_database(url)
        engine = open_engine(url)
        sessions = session_factory(engine)
        now = datetime.now(UTC)
        with sessions() as session:
            org = create_organization(session, slug=SLUG, name="Bench", actor="bench",
                                      origin="bench")  # fmt: skip
            hook = WebhookRow(org_id=org.id, url=hook_url, events=[], secret="s",
                              created_by="bench")  # fmt: skip
            session.add(hook)
            session.flush()
            payload = {"subject": "Bench", "greeting_name": "Ann", "org": "Bench", "slug": SLUG,
                       "items": [{"title": "An actual is due", "body": "", "link": "/x"}],
                       "digest": False, "unsubscribe": "t", "event": "actual_due"}  # fmt: skip
            rows = []
            for n in range(MESSAGES):
                common = {"org_id": org.id, "status": "pending", "attempts": 0,
                          "next_attempt_at": now, "created_at": now}  # fmt: skip
                rows.append({**common, "key": f"email|{n}", "channel": "email",
                             "webhook_id": None, "recipient": f"p{n}@bench.example",
                             "payload": payload})  # fmt: skip
                body = {"id": str(n), "event": "metric.red", "occurred_at": now.isoformat(),
                        "organization": SLUG, "subject": "red", "data": {}}  # fmt: skip
                rows.append({**common, "key": f"webhook|{n}", "channel": "webhook",
                             "webhook_id": hook.id, "recipient": hook_url,
                             "payload": body})  # fmt: skip
            insert_outbox(session, rows=rows)
            session.commit()
        notifier = Notifier(sessions, config=Settings(database_url=url, smtp_url=smtp_url))
        summary = PassSummary()
        started = time.perf_counter()
        notifier.deliver(now, summary)
        seconds = time.perf_counter() - started
        engine.dispose()
    assert summary.emails == MESSAGES == counting.count, summary
    assert summary.webhooks == MESSAGES, summary
    return (f"| {database} | {MESSAGES:,} + {MESSAGES:,} | {seconds:.1f} "
            f"| {2 * MESSAGES / seconds:,.0f} |")  # fmt: skip


def checkins(port: int, token: str, count: int, start: int, people: int) -> list[float]:
    """``count`` check-ins (PUT of a new month's actual), one after the other: seconds each.
    Check-in n is of person n's first metric (modulo ``people``), each round a month later."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    took = []
    for n in range(start, start + count):
        person, rounds = n % people, n // people
        month = f"{2030 + rounds // 12}-{rounds % 12 + 1:02d}"
        path = f"/api/v1/orgs/{SLUG}/metrics/I{person}m0/actuals/{month}"
        begun = time.perf_counter()
        connection.request("PUT", path, body=json.dumps({"value": 50.0}), headers=headers)
        answer = connection.getresponse()
        answer.read()
        took.append(time.perf_counter() - begun)
        if answer.status not in (200, 201):
            raise RuntimeError(f"a check-in answered {answer.status}")
    connection.close()
    return took


def spread(took: list[float]) -> str:
    ms = sorted(1000 * t for t in took)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    return f"{statistics.median(ms):.0f} / {p95:.0f} / {ms[-1]:.0f}"


def scheduler_pass(people: int, database: str) -> str:
    """One Markdown row: a scheduler pass over the enterprise plan, and check-ins meanwhile."""
    plan = with_leads(enterprise_plan(people))
    with fresh_database(database) as url:
        log(f"{people:,} people on {database}: importing")
        _, token = import_plan(url, plan)
        engine = open_engine(url)
        sessions = session_factory(engine)
        with sessions() as session:
            org = get_organization(session, slug=SLUG)
        with tempfile.TemporaryDirectory() as folder, serving(url, Path(folder)) as (port, process):
            wait_until_up(port, token, process)
            checkins(port, token, 20, 0, people)  # the server's analysis and connections warm
            alone = checkins(port, token, CHECKINS, 100, people)
            log(f"{people:,} people on {database}: the pass")
            now = datetime.now(UTC)
            started = time.perf_counter()
            with sessions() as session:
                results: dict[str, Any] = {
                    "notices": len(owed(session, org=org, as_of=MONDAY).notices)
                }
            results["load"] = time.perf_counter() - started
            notifier = Notifier(sessions, config=Settings(database_url=url, smtp_url=""))

            def run_pass() -> None:
                # the worker's own pass: its reads, then chunks each begun as a writer
                started = time.perf_counter()
                summary = PassSummary()
                notifier.schedule(MONDAY, now, summary)
                results["total"] = time.perf_counter() - started
                results["told"] = summary.notices

            worker = threading.Thread(target=run_pass)
            worker.start()
            during: list[float] = []
            while worker.is_alive():
                during += checkins(port, token, 10, 1000 + len(during), people)
            worker.join()
        engine.dispose()
    return (
        f"| {people:,} | {database} | {results['notices']:,} | {results['told']:,} "
        f"| {results['load']:.1f} | {results['total']:.1f} "
        f"| {spread(alone)} | {spread(during)} ({len(during)}) |"
    )


def main() -> None:
    """Prints the tables for BENCHMARKS.md."""
    print("| database | messages (e-mails + webhook calls) | seconds | messages/s |")
    print("| --- | ---: | ---: | ---: |")
    for database in DATABASES:
        print(throughput(database), flush=True)
    print()
    print("| people | database | notices | told | load + reminders (s) | whole pass (s) "
          "| check-in ms p50/p95/max alone | during the pass (n) |")  # fmt: skip
    print("| ---: | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for people in SIZES:
        for database in DATABASES:
            print(scheduler_pass(people, database), flush=True)


if __name__ == "__main__":
    main()
