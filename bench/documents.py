"""`make bench-documents`: the workbook, the PDF documents and the actuals import at
enterprise size, and what the server's other requests see while it makes them.

`.venv/bin/python -m bench.documents`.
1. For each size of BENCH_DOCUMENT_SIZES (people, default "10000,50000"): the enterprise
   plan (bench.enterprise) analysed as of 2027-01-15, then, in this process, each
   document made from the plan and its analysis (the analysis is not counted): the xlsx
   workbook, the CSV zip, the A3 report of a breakthrough (B0) and of an individual
   objective (I0), the X-matrix and the strategy on a page; seconds and bytes.
2. For each database of BENCH_DOCUMENT_DATABASES (default "sqlite,postgresql"): the
   50,000-person plan imported as bench.server does it, and a CSV of 150,000 actuals (every
   metric's 2027-01: a month of the plan) imported through the service as `hoshin actuals
   import` does it: reading the file, checking every row (a dry run) and recording them
   (the run that saves, its commit included).
3. On the first database (or with BENCH_DOCUMENT_SERVED_ONLY=PEOPLE, only this part, on
   SQLite, at that size): `hoshin serve --workers 2` on that plan; one client reads the
   analysis summary over and over (new connection each time) while another asks for the
   A3 report, imports another month of 150,000 actuals and downloads the xlsx workbook
   through the API; the reads' latency (p50 / p95 / max) alone and during each.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import outbox
from bench.enterprise import AS_OF, enterprise_plan
from bench.server import HOST, SLUG, fresh_database, get, import_plan, log, serving, wait_until_up
from hoshin.domain.analysis import analyze
from hoshin.domain.model import Plan
from hoshin.planfile.actuals_file import read_actuals
from hoshin.runtime.engine import session_factory
from hoshin.runtime.sessions import open_engine
from hoshin.service import actuals_import
from hoshin.service.actuals_import import Importer
from hoshin.service.asker import Who
from hoshin.service.document.a3 import a3_pdf
from hoshin.service.document.summary import strategy_on_a_page
from hoshin.service.document.xmatrix import xmatrix_pdf
from hoshin.service.export import plan_bytes
from hoshin.service.plan import Checked
from hoshin.service.policy import ADMIN
from hoshin.store.organization import get_organization

SIZES = [int(s) for s in os.environ.get("BENCH_DOCUMENT_SIZES", "10000,50000").split(",") if s]
DATABASES = [
    s for s in os.environ.get("BENCH_DOCUMENT_DATABASES", "sqlite,postgresql").split(",") if s
]
IMPORT_PEOPLE = 50_000
# Only part 3, on SQLite, at this many people (e.g. 10000): a quick look at the server alone.
SERVED_ONLY = int(os.environ.get("BENCH_DOCUMENT_SERVED_ONLY", "0"))
READS = 100  # summary reads timed alone


def timed(work: Callable[[], bytes]) -> tuple[float, int]:
    """Seconds and bytes of one run of ``work``."""
    started = time.perf_counter()
    body = work()
    return time.perf_counter() - started, len(body)


def documents_row(people: int) -> str:
    """One Markdown row: each document of the plan of ``people``, seconds (and size)."""
    plan = enterprise_plan(people)
    analysis = analyze(plan, AS_OF)
    cells = []
    works: list[tuple[str, Callable[[], bytes]]] = [
        ("xlsx", lambda: plan_bytes(plan, analysis, format="xlsx", as_of=AS_OF)),
        ("csv", lambda: plan_bytes(plan, analysis, format="csv", as_of=AS_OF)),
        ("a3 B0", lambda: a3_pdf(plan, analysis, "B0")),
        ("a3 I0", lambda: a3_pdf(plan, analysis, "I0")),
        ("x-matrix", lambda: xmatrix_pdf(Checked(plan, analysis), as_of=AS_OF)),
        ("summary", lambda: strategy_on_a_page(plan, analysis)),
    ]
    for name, work in works:
        log(f"{people:,} people: {name}")
        seconds, size = timed(work)
        cells.append(f"{seconds:.2f} ({size / 1e6:.1f} MB)" if size > 1e6 else f"{seconds:.2f}")
    return f"| {people:,} | " + " | ".join(cells) + " |"


def actuals_csv(plan: Plan, month: str, value: float) -> bytes:
    """Every metric's actual of ``month``: the CSV a unit would upload, one row a metric."""
    lines = ["metric,month,value"]
    lines += [f"{metric.id},{month},{value}" for metric in plan.metrics()]
    return ("\n".join(lines) + "\n").encode()


def import_row(database: str, url: str, plan: Plan) -> str:
    """One Markdown row: 150,000 actuals read, checked and recorded through the service."""
    body = actuals_csv(plan, "2027-01", 50.0)
    started = time.perf_counter()
    rows = len(read_actuals("actuals.csv", body).lines)
    parse = time.perf_counter() - started
    engine = open_engine(url)
    seconds = {}
    try:
        for dry_run in (True, False):
            with session_factory(engine)() as session:
                org = get_organization(session, slug=SLUG)
                by = Importer(org, ADMIN, None, Who("bench", None, "bench"))
                started = time.perf_counter()
                actuals_import.import_file(
                    session, by=by, name="actuals.csv", body=body, correct=False,
                    dry_run=dry_run, now=datetime.now(UTC),
                )  # fmt: skip
                session.commit()
                seconds[dry_run] = time.perf_counter() - started
    finally:
        engine.dispose()
    return f"| {database} | {rows:,} | {parse:.1f} | {seconds[True]:.1f} | {seconds[False]:.1f} |"


def read_latency(port: int, token: str, until: threading.Event | None) -> list[float]:
    """Summary reads one after the other: READS of them, or until ``until`` is set."""
    path = f"/api/v1/orgs/{SLUG}/analysis/summary?as_of={AS_OF}"
    took: list[float] = []
    while (until is None and len(took) < READS) or (until is not None and not until.is_set()):
        status, seconds = get(port, path, token, timeout=120)
        if status != 200:
            raise RuntimeError(f"the summary answered {status}")
        took.append(seconds)
    return took


def spread(took: list[float]) -> str:
    """p50 / p95 / max in milliseconds (bench.outbox's), and how many."""
    return f"{outbox.spread(took)} ({len(took)})"


def send(port: int, token: str, method: str, path: str, body: bytes = b"") -> float:
    """One request of a document's work; its seconds (an error status fails the bench)."""
    headers = {"Authorization": f"Bearer {token}"}
    if body:
        boundary = uuid.uuid4().hex
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="actuals.csv"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + body
            + f"\r\n--{boundary}--\r\n".encode()
        )
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=1800)
    try:
        connection.request(method, path, body=body or None, headers=headers)
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    if answer.status != 200:
        raise RuntimeError(f"{method} {path} answered {answer.status}")
    return time.perf_counter() - started


def served_rows(url: str, token: str, plan: Plan) -> list[str]:
    """Markdown rows: the summary reads' latency alone, and during each document's request."""
    rows = []
    works = [
        ("A3 report of B0", "GET", f"/api/v1/orgs/{SLUG}/objectives/B0/a3.pdf?as_of={AS_OF}", b""),
        (
            f"actuals import, {len(plan.metrics()):,} rows",
            "POST",
            f"/api/v1/orgs/{SLUG}/actuals/import",
            actuals_csv(plan, "2027-02", 51.0),
        ),
        ("xlsx workbook", "GET", f"/api/v1/orgs/{SLUG}/export?format=xlsx&as_of={AS_OF}", b""),
    ]
    os.environ["HOSHIN_MAX_BODY_BYTES"] = str(16 * 1024 * 1024)  # the upload: 3.3 MB
    with tempfile.TemporaryDirectory() as folder, serving(url, Path(folder)) as (port, process):
        wait_until_up(port, token, process)
        read_latency(port, token, None)  # both workers hold the analysis
        rows.append(f"| alone | - | {spread(read_latency(port, token, None))} |")
        for name, method, path, body in works:
            log(f"served: {name}")
            done = threading.Event()
            took: list[float] = []

            def reads(done: threading.Event = done, took: list[float] = took) -> None:
                took.extend(read_latency(port, token, done))

            reader = threading.Thread(target=reads)
            reader.start()
            try:
                seconds = send(port, token, method, path, body)
            finally:
                done.set()
                reader.join()
            rows.append(f"| during the {name} | {seconds:.1f} | {spread(took)} |")
    return rows


def main() -> None:
    """Prints the tables for BENCHMARKS.md."""
    if SERVED_ONLY:
        plan = enterprise_plan(SERVED_ONLY)
        with fresh_database("sqlite") as url:
            _, token = import_plan(url, plan)
            print(f"| on sqlite, {SERVED_ONLY:,} people | request (s) | summary reads |")
            print("| --- | ---: | ---: |")
            for row in served_rows(url, token, plan):
                print(row)
        return
    print("| people | xlsx | CSV zip | A3 B0 | A3 I0 | X-matrix | strategy on a page |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for people in SIZES:
        print(documents_row(people), flush=True)
    plan = enterprise_plan(IMPORT_PEOPLE)
    print("\n| database | rows | read (s) | read and check (s) | read, check, record (s) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    served: list[str] = []
    for database in DATABASES:
        with fresh_database(database) as url:
            log(f"{IMPORT_PEOPLE:,} people on {database}: importing the plan")
            _, token = import_plan(url, plan)
            print(import_row(database, url, plan), flush=True)
            if not served:
                served = served_rows(url, token, plan)
    print(f"\n| on {DATABASES[0]}, 50,000 people | request (s) | summary reads: p50 / p95 / "
          "max ms (count) |")  # fmt: skip
    print("| --- | ---: | ---: |")
    for row in served:
        print(row)


if __name__ == "__main__":
    main()
