"""`make bench-pages`: every page of the web app on the enterprise plan, one request at a time.

For each size (and database): import the plan into a fresh database with bench/server.py's
helpers, add an admin and a contributor (person p0, who owns B0, A0, T0 and I0), start
`hoshin serve` on a free loopback port, warm the analysis, sign in through the form, then
GET each page BENCH_PAGES_REQUESTS times in a row with the session cookie. Prints, per
page: the status, the round trip on loopback (p50, p95: that is the server's time plus a
loopback hop), and the bytes of HTML (the page alone: its CSS and scripts are cached).
A page that answers 404 or fails is reported and the run goes on. Traffic goes to
127.0.0.1 only, every request and every page is bounded in time, and the server is
stopped and the database removed whatever happens.

BENCH_PAGES_SIZES (50000; 2000 for a quick check), BENCH_PAGES_REQUESTS (20),
BENCH_POSTGRES_URL (set: PostgreSQL too, on a database created and dropped there),
BENCH_PAGES_ONLY (pages whose name holds one of these comma-separated words, e.g.
"pick,catchball"; default every page).
"""

from __future__ import annotations

import gc
import html
import http.client
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from bench.enterprise import AS_OF, enterprise_plan
from bench.server import (
    HOST,
    SLUG,
    WORKERS,
    fresh_database,
    import_plan,
    log,
    serving,
    wait_until_up,
    warm,
)
from hoshin.domain.model import Plan
from hoshin.guard.csrf import FIELD, PRESESSION_COOKIE, token_for
from hoshin.runtime.engine import session_factory
from hoshin.runtime.sessions import open_engine
from hoshin.service import account

SIZES = [int(s) for s in os.environ.get("BENCH_PAGES_SIZES", "50000").split(",") if s]
REQUESTS = max(1, min(int(os.environ.get("BENCH_PAGES_REQUESTS", "20")), 200))
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("BENCH_POSTGRES_URL") else [])
ONLY = [word.strip() for word in os.environ.get("BENCH_PAGES_ONLY", "").split(",") if word.strip()]
ADMIN = "pages-admin@bench.example"
CONTRIBUTOR = "pages-p0@bench.example"
PERSON = "p0"  # owns B0, A0, T0 and I0 in bench/enterprise.py
PASSWORD = uuid.uuid4().hex
# Unmeasured first requests: each worker makes a page's memos once per analysis (the slowest
# of these is the table's "first"). Each request is a new connection that the kernel hands
# to either worker, so 4 a worker leave one cold with a chance of 2 x 2**-8 (under 1 %).
WARM_UPS = 4 * WORKERS
REQUEST_TIMEOUT = 60.0  # seconds for one answer
WARM_TRIES = 2
PAGE_SECONDS = 120.0  # at most this long on one page, then the next
GOAL_MS = 150.0
GOAL_BYTES = 300_000
BASE = f"/orgs/{SLUG}"
# (page, path, who asks, the index whose first link under the path gives the page)
PAGES: list[tuple[str, str, str, str | None]] = [
    ("true north", f"{BASE}/", "admin", None),
    ("alignment", f"{BASE}/alignment", "admin", None),
    ("x-matrix", f"{BASE}/x-matrix", "admin", None),
    ("objective A0", f"{BASE}/objectives/A0", "admin", None),
    ("objective A0, adding", f"{BASE}/objectives/A0?add=countermeasure", "admin", None),
    ("backward plan index", f"{BASE}/backward", "admin", None),
    ("backward plan of one objective", f"{BASE}/backward/A0", "admin", f"{BASE}/backward"),
    ("check-in (p0)", f"{BASE}/check-in", "contributor", None),
    ("check-in of a unit", f"{BASE}/check-in?unit=u1", "admin", None),
    ("check-in of everyone (admin)", f"{BASE}/check-in", "admin", None),
    ("check-in of everyone, page 100", f"{BASE}/check-in?owner=&page=100", "admin", None),
    ("my work (p0)", f"{BASE}/my-work", "contributor", None),
    ("catchball index", f"{BASE}/catchball", "admin", None),
    # A picker's matches (web/pick.py): 'e' is in every name ("Person 17"), 'son' too: the
    # most a query can match, each tier of the ranking full.
    ("pick a person: 'e'", f"{BASE}/pick/people?q=e", "admin", None),
    ("pick a person: 'son'", f"{BASE}/pick/people?q=son", "admin", None),
    ("monthly review index", f"{BASE}/reviews/monthly", "admin", None),
    (
        "monthly review of a unit",
        f"{BASE}/reviews/monthly/u1",
        "admin",
        f"{BASE}/reviews/monthly",
    ),
    ("annual review", f"{BASE}/reviews/annual", "admin", None),
    ("annual review of 2026", f"{BASE}/reviews/annual/2026", "admin", None),
    ("carry forward of 2026", f"{BASE}/reviews/annual/2026/carry-forward", "admin", None),
    ("an objective's plan form", f"{BASE}/plan/objectives/A0", "admin", None),
    ("an action's plan form", f"{BASE}/plan/actions/X0a", "admin", None),
    ("plan index", f"{BASE}/plan", "admin", None),
    ("admin: members", f"{BASE}/admin", "admin", None),
    ("admin: own API tokens", f"{BASE}/admin/tokens", "contributor", None),
]


@dataclass(frozen=True, slots=True)
class Timed:
    """What one page answered, N times in a row."""

    page: str
    path: str
    statuses: dict[int, int]
    first_ms: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    html_bytes: int
    note: str = ""


def add_users(url: str) -> None:
    """An admin without a person, and a contributor who is person p0; both sign in."""
    engine = open_engine(url)
    try:
        with session_factory(engine)() as session:
            account.add_user(
                session,
                email=ADMIN,
                password=PASSWORD,
                name="Pages admin",
                actor="bench",
                origin="bench",
            )
            account.set_role(
                session, email=ADMIN, org_slug=SLUG, role="admin", actor="bench", origin="bench"
            )
            account.add_user(
                session,
                email=CONTRIBUTOR,
                password=PASSWORD,
                name="Person 0",
                person=PERSON,
                actor="bench",
                origin="bench",
            )
            account.set_role(
                session,
                email=CONTRIBUTOR,
                org_slug=SLUG,
                role="contributor",
                actor="bench",
                origin="bench",
            )
            session.commit()
    finally:
        engine.dispose()


def warm_workers(port: int, token: str) -> float:
    """bench/server.py's warm, tried WARM_TRIES times: on a busy machine the server may
    replace a worker that computes a large analysis (its health check goes unanswered)."""
    for attempt in range(1, WARM_TRIES + 1):
        log(f"warming the analysis in both workers (attempt {attempt} of {WARM_TRIES})")
        try:
            return warm(port, token)
        except OSError as error:
            if attempt == WARM_TRIES:
                raise
            log(f"  the server dropped the connection ({error}): once more")
    raise AssertionError("unreachable")


def sign_in(port: int, email: str) -> str:
    """Signs in through the form; returns the session cookie ("name=value")."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        # the form's CSRF token is that of the pre-session cookie a browser is given first
        secret = uuid.uuid4().hex
        body = urlencode({"email": email, "password": PASSWORD, FIELD: token_for(secret)})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{PRESESSION_COOKIE}={secret}",
        }
        connection.request("POST", "/signin", body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        cookie = answer.getheader("Set-Cookie") or ""
        if answer.status != 303 or not cookie:
            raise RuntimeError(f"signing in {email} answered {answer.status}")
        return cookie.split(";", 1)[0]
    finally:
        connection.close()


def fetch(port: int, path: str, cookie: str) -> tuple[int, float, bytes]:
    """One GET on a new connection: the status, the seconds it took, the body."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Accept": "text/html"})
        answer = connection.getresponse()
        body = answer.read()
        return answer.status, time.perf_counter() - started, body
    finally:
        connection.close()


def with_as_of(path: str) -> str:
    """The path asking for the plan as of the enterprise plan's day."""
    if "as_of=" in path:
        return path
    return f"{path}{'&' if '?' in path else '?'}as_of={AS_OF.isoformat()}"


def discover(port: int, cookie: str, index: str, fallback: str) -> tuple[str, str]:
    """The first link on the ``index`` page that leads below it (the pages choose their
    own paths), else ``fallback``; and a note saying which."""
    try:
        status, _, body = fetch(port, with_as_of(index), cookie)
    except OSError as error:
        return fallback, f"index failed ({error}); guessed"
    if status == 200:
        for href in re.findall(r'href="([^"]+)"', body.decode("utf-8", "replace")):
            link = html.unescape(href)
            if link.startswith(index + "/") and len(link) > len(index) + 1:
                return link, "first link of its index"
    return fallback, f"index answered {status}; guessed"


def time_page(port: int, page: str, path: str, cookie: str, note: str) -> Timed:
    """WARM_UPS unmeasured requests, then REQUESTS timed ones (PAGE_SECONDS at most)."""
    path = with_as_of(path)
    statuses: dict[int, int] = {}
    times: list[float] = []
    first, size = 0.0, 0
    deadline = time.monotonic() + PAGE_SECONDS
    try:
        for n in range(WARM_UPS + REQUESTS):
            status, seconds, body = fetch(port, path, cookie)
            if n < WARM_UPS:
                first = max(first, seconds)
            else:
                statuses[status] = statuses.get(status, 0) + 1
                times.append(seconds)
            size = len(body)
            if time.monotonic() > deadline:
                note = f"{note}; stopped after {PAGE_SECONDS:.0f} s".lstrip("; ")
                break
    except OSError as error:
        note = f"{note}; failed: {error}".lstrip("; ")
    if not times:
        return Timed(page, path, statuses, first * 1000, 0.0, 0.0, 0.0, size, note)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Timed(
        page, path, statuses, first * 1000, statistics.median(times) * 1000, p95 * 1000,
        times[-1] * 1000, size, note,
    )  # fmt: skip


def chosen_pages() -> list[tuple[str, str, str, str | None]]:
    """The pages BENCH_PAGES_ONLY names (every page when it is not set)."""
    return [page for page in PAGES if not ONLY or any(word in page[0] for word in ONLY)]


def bench_one(people: int, database: str, plan: Plan) -> list[Timed]:
    """Every page on one size and database."""
    with fresh_database(database) as url, tempfile.TemporaryDirectory() as folder:
        log(f"{people:,} people, {database}: importing")
        import_s, token = import_plan(url, plan)
        add_users(url)
        log(f"imported in {import_s:.1f} s; starting hoshin serve --workers {WORKERS}")
        with serving(url, Path(folder)) as (port, process):
            try:
                wait_until_up(port, token, process)
                cold = warm_workers(port, token)
                log(f"first analysis {cold:.1f} s")
                cookies = {"admin": sign_in(port, ADMIN), "contributor": sign_in(port, CONTRIBUTOR)}
                results = []
                for page, path, who, index in chosen_pages():
                    cookie = cookies[who]
                    note = ""
                    if index is not None:
                        path, note = discover(port, cookie, index, path)
                    results.append(time_page(port, page, path, cookie, note))
                    log(f"  {_line(results[-1])}")
            except BaseException:
                log("the server said:\n" + (Path(folder) / "server.log").read_text()[-4000:])
                raise
    return results


def _status(timed: Timed) -> str:
    return (
        ", ".join(
            f"{status}" if count == REQUESTS else f"{count}x {status}"
            for status, count in sorted(timed.statuses.items())
        )
        or "none"
    )


def _met(timed: Timed) -> str:
    if set(timed.statuses) != {200}:
        return "n/a"
    fast, small = timed.p95_ms < GOAL_MS, timed.html_bytes < GOAL_BYTES
    return "yes" if fast and small else "no: " + ("slow" if not fast else "large")


def _line(t: Timed) -> str:
    return (
        f"| {t.page} | `{t.path}` | {_status(t)} | {t.first_ms:.0f} | {t.p50_ms:.1f} | "
        f"{t.p95_ms:.1f} | {t.max_ms:.1f} | {t.html_bytes / 1000:,.1f} | {_met(t)} | {t.note} |"
    )


def main() -> None:
    """Every size on every database; a Markdown table per run on standard output."""
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; hoshin serve --workers {WORKERS}; "
        f"{REQUESTS} requests a page after {WARM_UPS} unmeasured; as of {AS_OF}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    for people in SIZES:
        plan = enterprise_plan(people)
        for database in DATABASES:
            results = bench_one(people, database, plan)
            print()
            print(f"{people:,} people, {database}: goals p95 < {GOAL_MS:.0f} ms, "
                  f"HTML < {GOAL_BYTES // 1000} KB")  # fmt: skip
            print()
            print(
                "| page | path | status | first (ms) | p50 (ms) | p95 (ms) | max (ms) "
                "| HTML (KB) | goals met | note |"
            )
            print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
            for timed in results:
                print(_line(timed))
            sys.stdout.flush()
        del plan
        gc.collect()


if __name__ == "__main__":
    main()
