"""The import of the enterprise plan: replace_plan and its commit, on SQLite and PostgreSQL.

`PYTHONPATH=. .venv/bin/python -m bench.imports`. For each size of BENCH_SIZES (people,
default "10000,50000") and each database of BENCH_IMPORT_DATABASES (default
"sqlite,postgresql"): a fresh database (bench.server's, BENCH_POSTGRES_URL for PostgreSQL)
migrated to the newest schema and an empty organisation; then the plan imported into it
(replace_plan and commit, timed, as bench.server's import_plan times it) and imported again
over itself (every old row deleted first: what a re-import costs). Prints a Markdown table:
seconds, and this process's CPU seconds beside them (SQLite's work is in this process,
PostgreSQL's in its server), so that a run on a busy machine can still be compared.
"""

from __future__ import annotations

import gc
import os
import platform
import time

from bench.enterprise import enterprise_plan
from bench.server import fresh_database, log
from hoshin.domain.model import Plan
from hoshin.runtime.engine import session_factory
from hoshin.runtime.sessions import open_engine, upgrade_database
from hoshin.service.organization import create_organization
from hoshin.store.plan import replace_plan

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,50000").split(",") if s]
DATABASES = [
    s for s in os.environ.get("BENCH_IMPORT_DATABASES", "sqlite,postgresql").split(",") if s
]


def timed_imports(url: str, plan: Plan) -> list[tuple[float, float]]:
    """Seconds and CPU seconds to import ``plan`` into an empty organisation, then again
    over itself."""
    upgrade_database(url)
    engine = open_engine(url)
    try:
        with session_factory(engine)() as session:
            org = create_organization(
                session, slug="bench", name=plan.organization.name, actor="bench", origin="bench"
            )
            session.commit()
            seconds = []
            for _ in range(2):
                gc.collect()
                started, cpu = time.perf_counter(), time.process_time()
                replace_plan(session, org=org, plan=plan)
                session.commit()
                seconds.append((time.perf_counter() - started, time.process_time() - cpu))
    finally:
        engine.dispose()
    return seconds


def rows_of(plan: Plan) -> int:
    """How many actual rows the plan has (most of what an import writes)."""
    return sum(len(m.actuals) for m in plan.metrics())


def main() -> None:
    """Imports each size into each database and prints the table."""
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load {os.getloadavg()[0]:.2f}")  # fmt: skip
    print()
    print("| people | actuals | database | import (s) | CPU (s) | re-import (s) | CPU (s) |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    for people in SIZES:
        plan = enterprise_plan(people)
        actuals = rows_of(plan)
        for database in DATABASES:
            with fresh_database(database) as url:
                log(f"importing {people} people into {database}")
                (first, first_cpu), (again, again_cpu) = timed_imports(url, plan)
            print(f"| {people:,} | {actuals:,} | {database} | {first:.1f} | {first_cpu:.1f} "
                  f"| {again:.1f} | {again_cpu:.1f} |", flush=True)  # fmt: skip
        del plan
        gc.collect()


if __name__ == "__main__":
    main()
