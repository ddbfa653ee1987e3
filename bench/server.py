"""`make bench-server`: the enterprise plan in SQLite and PostgreSQL, served under load.

For each size and database: import the plan into a fresh database (replace_plan and
commit, timed), start `hoshin serve --workers 2` on a free loopback port, warm each
worker's analysis cache, then load it with wrk (50 connections, bench/server.lua) for the
objective read, the analysis summary and recording an actual. The framework's floor
(bench/floor_app.py: a bare FastAPI route answering a body like the objective read's, served
the same way) takes the same load in the same run, before and after them; each hot request's
server CPU per request (the workers' utime + stime from /proc, over the requests wrk
counted) is given as a ratio to the floor's. Prints Markdown tables for BENCHMARKS.md.
Traffic goes to 127.0.0.1 only; every run is bounded in time, and the servers are stopped
and the database dropped whatever happens.

BENCH_SERVER_SIZES (10000,50000), BENCH_SERVER_DATABASES (sqlite,postgresql),
BENCH_SERVER_SECONDS (25 a scenario) and BENCH_POSTGRES_URL (a server on which databases
may be created and dropped) change what runs.
"""

from __future__ import annotations

import gc
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bench.enterprise import AS_OF, enterprise_plan
from bench.stall import StallProbe
from hoshin.domain.model import Plan
from hoshin.runtime.engine import session_factory
from hoshin.runtime.sessions import open_engine, upgrade_database
from hoshin.service import account
from hoshin.service.organization import create_organization
from hoshin.store.plan import replace_plan

SIZES = [int(s) for s in os.environ.get("BENCH_SERVER_SIZES", "10000,50000").split(",") if s]
DATABASES = [
    s for s in os.environ.get("BENCH_SERVER_DATABASES", "sqlite,postgresql").split(",") if s
]
SECONDS = int(os.environ.get("BENCH_SERVER_SECONDS", "25"))
ALONE_SECONDS = 5  # the same requests on one connection: their latency without a queue
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CONNECTIONS = 50
TIMEOUT = 10  # seconds: wrk counts a slower answer as a timeout (a socket error)
WRK_THREADS = 2
WORKERS = 2
HOST = "127.0.0.1"
SLUG = "bench"
EMAIL = "bench@bench.example"
SCRIPT = Path(__file__).with_name("server.lua")
# (scenario, what it is, the goal for its p95 in ms)
SCENARIOS = [
    ("objective", "GET an objective", 50.0),
    ("summary", "GET the analysis summary", 100.0),
    ("actual", "PUT a new actual", 50.0),
]
FLOOR = "floor"  # the floor's row, loaded with the objective scenario
FLOOR_GOAL = 2.0  # a hot request's CPU per request, at most this many times the floor's
START_TIMEOUT = 120.0  # seconds for the server to answer at all
WARM_TIMEOUT = 900.0  # seconds for both workers to hold the analysis


@dataclass(frozen=True, slots=True)
class Load:
    """What wrk measured for one scenario."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int
    timeouts: int
    statuses: dict[str, int]
    stall_ms: float  # the longest the machine kept a sleeping thread from waking (StallProbe)
    cpu_ms: float | None  # the server's workers' CPU per request (None: not measured)


@dataclass(frozen=True, slots=True)
class Served:
    """One size on one database: the import, the cold analysis, the memory, the loads."""

    people: int
    database: str
    import_s: float
    cold_s: float
    worker_mb: list[float]
    server_errors: dict[str, int]  # the exceptions in the server's log, by their last line
    loads: dict[str, Load]  # under CONNECTIONS connections, by scenario
    alone: dict[str, Load]  # on one connection
    floor: list[Load]  # the floor under CONNECTIONS connections, before and after the loads

    def floor_cpu_ms(self) -> float:
        """The floor's CPU per request: the mean of its runs."""
        return sum(f.cpu_ms or 0.0 for f in self.floor) / len(self.floor)


def log(message: str) -> None:
    """Progress, on standard error (standard output holds the tables)."""
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


@contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    """The URL of a new, empty database of ``kind``, removed afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="hoshin-bench-"))
        try:
            yield f"sqlite:///{folder / 'bench.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"hoshin_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def import_plan(url: str, plan: Plan) -> tuple[float, str]:
    """Migrates the database, imports ``plan`` (timed: replace_plan and commit) and adds an
    editor with an API token; returns the seconds and the token."""
    upgrade_database(url)
    engine = open_engine(url)
    try:
        with session_factory(engine)() as session:
            org = create_organization(
                session, slug=SLUG, name=plan.organization.name, actor="bench", origin="bench"
            )
            session.commit()
            gc.collect()
            started = time.perf_counter()
            replace_plan(session, org=org, plan=plan)
            session.commit()
            seconds = time.perf_counter() - started
            account.add_user(
                session,
                email=EMAIL,
                password=uuid.uuid4().hex,
                name="Bench",
                actor="bench",
                origin="bench",
            )
            account.set_role(
                session, email=EMAIL, org_slug=SLUG, role="editor", actor="bench", origin="bench"
            )
            token = account.create_token(
                session,
                email=EMAIL,
                name="bench",
                now=datetime.now(UTC),
                actor="bench",
                origin="bench",
            )
            session.commit()
    finally:
        engine.dispose()
    return seconds, token


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(url: str, folder: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`hoshin serve --workers 2` on ``url``, on a free loopback port; stopped afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "hoshin", "serve", "--host", HOST, "--port", str(port)]
    output = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [*command, "--workers", str(WORKERS)],
        env={**os.environ, "HOSHIN_DATABASE_URL": url},
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the workers are stopped with it
    )
    try:
        yield port, process
    finally:
        stop(process)
        output.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stops the server and its workers: SIGTERM, then SIGKILL after 20 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    with suppress(ProcessLookupError):  # the group this script started, if any is left
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def get(port: int, path: str, token: str, timeout: float) -> tuple[int, float]:
    """One GET on a new connection: the status and the seconds it took."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        answer = connection.getresponse()
        answer.read()
        return answer.status, time.perf_counter() - started
    finally:
        connection.close()


@contextmanager
def serving_floor(body: bytes, folder: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """The floor (bench/floor_app.py) answering ``body``, on a free loopback port; stopped
    afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "bench.floor_app", "--host", HOST, "--port", str(port)]
    output = (folder / "floor.log").open("wb")
    process = subprocess.Popen(
        [*command, "--workers", str(WORKERS)],
        env={**os.environ, "BENCH_FLOOR_BODY": body.decode()},
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_up(port, "", process, path=f"/api/v1/orgs/{SLUG}/objectives/I0")
        yield port, process
    finally:
        stop(process)
        output.close()


def objective_body(port: int, token: str) -> bytes:
    """A real objective read's body, for the floor to answer the like."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        path = f"/api/v1/orgs/{SLUG}/objectives/I0?as_of={AS_OF}"
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    if answer.status != 200:
        raise RuntimeError(f"the objective read answered {answer.status}")
    return body


def workers_cpu_seconds(pid: int) -> float:
    """The user and system CPU time of the server's child processes, in seconds."""
    total = 0
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def wait_until_up(
    port: int, token: str, process: subprocess.Popen[bytes], path: str = "/api/v1/me"
) -> None:
    """Waits until the server answers ``path``."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            status, _ = get(port, path, token, timeout=5)
        except OSError:
            time.sleep(0.5)
            continue
        if status == 200:
            return
        raise RuntimeError(f"{path} answered {status}")
    raise RuntimeError(f"{process.args!r} did not answer within {START_TIMEOUT:.0f} s")


def warm(port: int, token: str) -> float:
    """Computes the analysis in both workers; returns the seconds of the first (cold) one.

    Which worker takes a connection is the kernel's choice, so requests go two at a time on
    new connections until twenty in a row were fast. Never more than two at once: a cold
    worker computes the analysis once per waiting request (the cache has no single flight),
    and at 50,000 people each computation holds a whole copy of the plan.
    """
    path = f"/api/v1/orgs/{SLUG}/analysis/summary?as_of={AS_OF}"
    deadline = time.monotonic() + WARM_TIMEOUT
    cold, fast_in_a_row = 0.0, 0
    with ThreadPoolExecutor(2) as pool:
        while fast_in_a_row < 20:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the analysis was not warm within {WARM_TIMEOUT:.0f} s")
            answers = list(pool.map(lambda _: get(port, path, token, WARM_TIMEOUT), range(2)))
            for status, seconds in answers:
                if status != 200:
                    raise RuntimeError(f"the analysis summary answered {status}")
                cold = max(cold, seconds)
                fast_in_a_row = fast_in_a_row + 1 if seconds < 1.0 else 0
    return cold


def settle(port: int, token: str) -> None:
    """Waits until the server is idle: a closed wrk connection leaves its requests queued
    in the workers, and they would slow the next run. Idle is ten quick answers in a row
    to /api/v1/me (at most a minute)."""
    deadline, quick = time.monotonic() + 60, 0
    while quick < 10 and time.monotonic() < deadline:
        _, seconds = get(port, "/api/v1/me", token, timeout=60)
        quick = quick + 1 if seconds < 0.05 else 0
        time.sleep(0.1)


def worker_memory_mb(process: subprocess.Popen[bytes]) -> list[float]:
    """The resident memory of each worker process of the server, in MB."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    sizes = []
    for pid in children.read_text().split():
        if b"spawn_main" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            continue  # not a worker (multiprocessing's resource tracker)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sorted(sizes)


def load(
    port: int,
    token: str,
    scenario: str,
    *,
    people: int,
    connections: int,
    seconds: int,
    first_month: int,
    server: int | None = None,
) -> Load:
    """wrk on one scenario; new actuals are written from 2027-01 plus ``first_month`` on;
    with ``server`` (its process id), its workers' CPU per request."""
    threads = min(WRK_THREADS, connections)
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{TIMEOUT}s",
        "-s", str(SCRIPT), f"http://{HOST}:{port}",
        "--", scenario, token, SLUG, str(people), str(AS_OF), str(threads), str(first_month),
    ]  # fmt: skip
    before = None if server is None else workers_cpu_seconds(server)
    with StallProbe() as probe:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 120, check=True
        )
    cpu_s = None if server is None or before is None else workers_cpu_seconds(server) - before
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    found: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    statuses = {str(k): int(v) for k, v in sorted(found["statuses"].items())}
    return Load(
        requests=found["requests"],
        seconds=found["duration_us"] / 1e6,
        p50_ms=found["p50_us"] / 1000,
        p95_ms=found["p95_us"] / 1000,
        p99_ms=found["p99_us"] / 1000,
        max_ms=found["max_us"] / 1000,
        non_2xx=sum(n for status, n in statuses.items() if not status.startswith("2")),
        socket_errors=found["socket_errors"],
        timeouts=found["timeouts"],
        statuses=statuses,
        stall_ms=probe.longest_ms,
        cpu_ms=None if cpu_s is None else cpu_s * 1000 / max(1, found["requests"]),
    )


def serve_one(people: int, database: str, plan: Plan) -> Served:
    """The whole run for one size on one database."""
    with fresh_database(database) as url, tempfile.TemporaryDirectory() as folder:
        log(f"{people:,} people, {database}: importing")
        import_s, token = import_plan(url, plan)
        log(f"imported in {import_s:.1f} s; starting hoshin serve --workers {WORKERS}")
        with serving(url, Path(folder)) as (port, process):
            try:
                wait_until_up(port, token, process)
                log("warming the analysis in both workers")
                cold_s = warm(port, token)
                memory = worker_memory_mb(process)
                log(f"first analysis {cold_s:.1f} s; workers {memory} MB")
                body = objective_body(port, token)
                loads, alone, floor = loads_of(people, port, process.pid, token, body, folder)
            except BaseException:
                log("the server said:\n" + (Path(folder) / "server.log").read_text()[-4000:])
                raise
        errors = server_errors((Path(folder) / "server.log").read_text())
        if errors:
            log(f"the server logged: {errors}")
    return Served(people, database, import_s, cold_s, memory, errors, loads, alone, floor)


def loads_of(
    people: int, port: int, pid: int, token: str, body: bytes, folder: str
) -> tuple[dict[str, Load], dict[str, Load], list[Load]]:
    """Every scenario on the warm server ``pid`` alone and under load, between two runs of
    the floor under the same load."""
    loads: dict[str, Load] = {}
    alone: dict[str, Load] = {}
    floor: list[Load] = []
    with serving_floor(body, Path(folder)) as (floor_port, floor_process):

        def load_floor() -> None:
            log(f"wrk: the floor, {CONNECTIONS} connections, {SECONDS} s")
            found = load(
                floor_port, token, "objective", people=people, connections=CONNECTIONS,
                seconds=SECONDS, first_month=0, server=floor_process.pid,
            )  # fmt: skip
            floor.append(found)
            log(f"  {found}")

        load_floor()
        # In this order: an actual changes the plan, and the next read of the analysis
        # computes it again.
        runs = [(1, ALONE_SECONDS, alone), (CONNECTIONS, SECONDS, loads)]
        for scenario, _, _ in SCENARIOS:
            for connections, seconds, into in runs:
                settle(port, token)
                log(f"wrk: {scenario}, {connections} connections, {seconds} s")
                into[scenario] = load(
                    port, token, scenario, people=people, connections=connections,
                    seconds=seconds, first_month=12 * (len(alone) + len(loads)), server=pid,
                )  # fmt: skip
                log(f"  {into[scenario]}")
        load_floor()
    return loads, alone, floor


def server_errors(text: str) -> dict[str, int]:
    """The exceptions in a server log, counted by their message (cut at 120 characters);
    of a chain of exceptions ("The above exception was the direct cause..."), the last."""
    found: dict[str, int] = {}
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith("Traceback (most recent")]
    for n in starts:
        end = next((k for k in range(n + 1, len(lines)) if lines[k][:1] not in ("", " ")), None)
        if end is None:
            continue
        rest = (line for line in lines[end + 1 :] if line.startswith(("Traceback", "The ", "Dur")))
        if next(rest, "").startswith(("The above exception", "During handling")):
            continue  # the next traceback of the chain says what the request got
        found[lines[end][:120]] = found.get(lines[end][:120], 0) + 1
    return found


def main() -> None:
    """Runs every size on every database and prints the tables."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench-server does)")
    results = []
    for people in SIZES:
        plan = enterprise_plan(people)
        for database in DATABASES:
            results.append(serve_one(people, database, plan))
        del plan
        gc.collect()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; hoshin serve --workers {WORKERS}; "
        f"wrk -t{WRK_THREADS} -c{CONNECTIONS} -d{SECONDS}s (alone: -c1 -d{ALONE_SECONDS}s); "
        f"as of {AS_OF}"
    )
    print()
    print("| people | database | import (s) | first analysis (s) | worker memory (MB) |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for r in results:
        memory = " + ".join(f"{mb:,.0f}" for mb in r.worker_mb)
        print(f"| {r.people:,} | {r.database} | {r.import_s:.1f} | {r.cold_s:.1f} | {memory} |")
    print()
    print(
        "| people | database | request | req/s | p50 (ms) | p95 (ms) | p99 (ms) | non-2xx "
        "| p95 goal (ms) | met | alone: req/s | alone: p50 (ms) | alone: p95 (ms) "
        "| machine stall (ms) |"
    )
    print(
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: "
        "| ---: |"
    )
    for r in results:
        for scenario, title, goal in SCENARIOS:
            x, a = r.loads[scenario], r.alone[scenario]
            met = "yes" if x.p95_ms < goal and x.non_2xx + x.socket_errors == 0 else "no"
            print(
                f"| {r.people:,} | {r.database} | {title} | {x.requests / x.seconds:,.0f} | "
                f"{x.p50_ms:.1f} | {x.p95_ms:.1f} | {x.p99_ms:.1f} | {_errors(x)} | "
                f"{goal:.0f} | {met} | {a.requests / a.seconds:,.0f} | {a.p50_ms:.1f} | "
                f"{a.p95_ms:.1f} | {x.stall_ms:,.0f} |"
            )
    print()
    floor_table(results)
    if any(r.server_errors for r in results):
        print()
        _notes(results)


def floor_table(results: list[Served]) -> None:
    """Each hot request's server CPU per request against the floor's, in the same run."""
    print(
        f"Against the framework's floor (bench/floor_app.py, a bare FastAPI route, served the "
        f"same way, under the same load, before and after; CPU: the server's workers' "
        f"utime + stime over the requests; goal: at most {FLOOR_GOAL:g}x the floor's):"
    )
    print()
    print(
        "| people | database | request | req/s | p50 (ms) | p95 (ms) | p99 (ms) "
        "| server CPU (ms/request) | x floor CPU | met |"
    )
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        floor_ms = r.floor_cpu_ms()
        rows = [(f"floor: bare FastAPI route ({len(r.floor)} runs)", f) for f in r.floor]
        rows += [(title, r.loads[scenario]) for scenario, title, _ in SCENARIOS]
        for title, x in rows:
            cpu = x.cpu_ms or 0.0
            ratio = cpu / floor_ms if floor_ms else float("nan")
            met = "" if title.startswith("floor") else ("yes" if ratio <= FLOOR_GOAL else "no")
            print(
                f"| {r.people:,} | {r.database} | {title} | {x.requests / x.seconds:,.0f} | "
                f"{x.p50_ms:.1f} | {x.p95_ms:.1f} | {x.p99_ms:.1f} | {cpu:.2f} | "
                f"{ratio:.1f} | {met} |"
            )


def _notes(results: list[Served]) -> None:
    for r in results:
        for message, count in r.server_errors.items():
            print(f"- {r.people:,} people, {r.database}: the server logged {count} x `{message}`")


def _errors(load: Load) -> str:
    if not load.non_2xx and not load.socket_errors:
        return "0"
    parts = [f"{n:,} answers {status}" for status, n in load.statuses.items() if status[0] != "2"]
    if load.timeouts:
        parts.append(f"{load.timeouts:,} timeouts (> {TIMEOUT} s)")
    if load.socket_errors - load.timeouts:
        parts.append(f"{load.socket_errors - load.timeouts:,} socket errors")
    return ", ".join(parts)


if __name__ == "__main__":
    main()
