"""`make bench-engine`: the next read of the analysis after each kind of plan change.

Imports the synthetic enterprise plan into a fresh database, analyses it once in a cache
like the server's (with its background thread), then makes one change of each kind through
the services and times the next read of the analysis (what a summary or a page waits for),
against a read without a change in the same run; and how long the exact analysis takes to
follow in the background. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from bench.enterprise import AS_OF, enterprise_plan
from bench.server import EMAIL, SLUG, fresh_database, import_plan
from hoshin.domain.model import Action, Objective, Person, SituationItem, Unit, Vision
from hoshin.domain.months import Month
from hoshin.runtime.background import in_background
from hoshin.runtime.engine import session_factory
from hoshin.runtime.sessions import open_engine
from hoshin.service import action as actions
from hoshin.service import metric as metrics
from hoshin.service import objective as objectives
from hoshin.service import situation
from hoshin.service import unit as units
from hoshin.service.account import Principal, get_user
from hoshin.service.analysis import AnalysisCache
from hoshin.service.asker import Asker, Who
from hoshin.service.checkin import record_actual
from hoshin.service.versioned import Change
from hoshin.store.organization import OrganizationRow, find_organization

SIZES = [int(s) for s in os.environ.get("BENCH_EDIT_SIZES", "10000,50000").split(",") if s]
DATABASES = os.environ.get("BENCH_EDIT_DATABASES", "sqlite,postgresql").split(",")
NOW = datetime(2027, 1, 15, 12, tzinfo=UTC)
Edit = Callable[[Session, OrganizationRow, Asker], object]


def edits(people: int) -> list[tuple[str, Edit]]:
    """One change of each kind, on objects of the synthetic plan (bench/enterprise.py)."""
    plan = enterprise_plan(min(people, 40))  # the first objects are the same at every size
    i0 = next(o for o in plan.objectives if o.id == "I0")
    x0 = next(a for a in plan.actions if a.id == "X0b")
    metric = i0.metrics[0]

    def change(org: OrganizationRow, version: int | None = None) -> Change:
        return Change(org, Who("bench"), version)

    def versioned(version: int) -> Callable[[OrganizationRow], Change]:
        return lambda org: change(org, version)

    return [
        ("rename an objective", lambda s, o, a: objectives.update_objective(
            s, change=versioned(1)(o), role="editor", objective=replace(i0, title="Renamed"))),
        ("move a supports link", lambda s, o, a: objectives.update_objective(
            s, change=versioned(2)(o), role="editor",
            objective=replace(i0, title="Renamed", supports={"T1": 1.0}))),
        ("a new objective", lambda s, o, a: objectives.create_objective(
            s, change=change(o), role="editor",
            objective=Objective("N1", "A new team objective", "team", owner="p1",
                                end=Month.of(2027, 12), supports={"A1": 1.0}))),
        ("a metric's target", lambda s, o, a: metrics.update_metric(
            s, change=versioned(1)(o), role="editor", metric=replace(metric, target=170.0))),
        ("an action's length", lambda s, o, a: actions.update_action(
            s, change=versioned(1)(o), asker=a, action=replace(x0, duration_days=120))),
        ("a new action", lambda s, o, a: actions.create_action(
            s, change=change(o), asker=a, action=Action("N1a", "New work", owner="p1",
                                                        serves=("N1",), due=date(2027, 9, 30),
                                                        duration_days=30))),
        ("a new unit", lambda s, o, a: units.create_unit(
            s, change=change(o), role="editor", unit=Unit("n1", "New unit", "hq"))),
        ("a person renamed", lambda s, o, a: units.update_person(
            s, change=versioned(1)(o), role="editor", person=Person("p1", "Renamed", "u1"))),
        ("the vision", lambda s, o, a: units.update_vision(
            s, change=versioned(1)(o), role="editor", vision=Vision("New", "Why", 2031))),
        ("a situation item", lambda s, o, a: situation.create_item(
            s, change=change(o), role="editor", item=SituationItem("w1", "weakness", "Slow"))),
        ("a check-in", lambda s, o, a: record_actual(
            s, org=o, role="editor", person=None, metric=metric.id, period=Month.of(2027, 1),
            value=101.0, if_match=None, who=Who("bench"), now=NOW)),
    ]  # fmt: skip


def run(kind: str, people: int) -> list[str]:
    """The table rows of one database and size."""
    rows = []
    with fresh_database(kind) as url:
        imported, _ = import_plan(url, enterprise_plan(people))
        engine = open_engine(url)
        sessions = session_factory(engine)
        cache = AnalysisCache(background=in_background(sessions))
        with sessions() as session:
            org = _org(session)
            started = time.perf_counter()
            cache.get(session, org=org, as_of=AS_OF)
            first = time.perf_counter() - started
            user = get_user(session, email=EMAIL)
            asker = Asker(org, "editor", Principal(user.id, EMAIL, "", None), "bench")
            unchanged = _read_ms(cache, session)
            print(f"{kind} {people:,}: import {imported:.1f} s, first analysis {first:.1f} s, "
                  f"read without a change {unchanged:.2f} ms", flush=True)  # fmt: skip
            for name, edit in edits(people):
                edit(session, _org(session), asker)
                session.commit()
                org = _org(session)
                started, cpu = time.perf_counter(), time.thread_time()
                stale = cache.get(session, org=org, as_of=AS_OF).stale
                next_ms = (time.perf_counter() - started) * 1000
                cpu_ms = (time.thread_time() - cpu) * 1000  # this thread's: the read's own work
                exact = _until_exact(cache, org) if stale else 0.0
                rows.append(
                    f"| {people:,} | {kind} | {name} | {next_ms:.1f} | {next_ms - unchanged:+.1f}"
                    f" | {cpu_ms:.1f} | {'interim' if stale else 'exact'} | {exact:.1f} |"
                )
                print(rows[-1], flush=True)
        engine.dispose()
    return rows


def _org(session: Session) -> OrganizationRow:
    session.expire_all()
    org = find_organization(session, slug=SLUG)
    assert org is not None
    return org


def _read_ms(cache: AnalysisCache, session: Session, times: int = 21) -> float:
    """The median of reads of a current analysis (the plan version's query included)."""
    org = _org(session)
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        cache.get(session, org=org, as_of=AS_OF)
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent)


def _until_exact(cache: AnalysisCache, org: OrganizationRow) -> float:
    """Seconds until the background thread has made the exact analysis; then waits for the
    thread's end (its collection of the previous plan's garbage holds the interpreter, and
    would be counted in the next change's read)."""
    started = time.perf_counter()
    while cache.stale(org, AS_OF):
        time.sleep(0.02)
    exact = time.perf_counter() - started
    while any(thread.name == "analysis" for thread in threading.enumerate()):
        time.sleep(0.02)
    return exact


def main() -> None:
    """Prints the table."""
    print(f"Host: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    rows = []
    for people in SIZES:
        for kind in DATABASES:
            rows += run(kind, people)
    print("\n| people | database | change | next read (ms) | more than a read without a change "
          "(ms) | its CPU (ms) | answer | exact analysis follows in (s) |")  # fmt: skip
    print("| ---: | --- | --- | ---: | ---: | ---: | --- | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
