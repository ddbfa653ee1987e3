"""`python -m bench.ab`: one change against another under the load of bench/server.py.

On a shared host a run's figures drift by a third from one minute to the next, so two
commits compare only when their runs alternate. This imports the enterprise plan once into
a kept database (BENCH_AB_FOLDER, default /tmp/hoshin-ab: it survives between calls), then
for each round and each source tree given, serves that tree's hoshin on the database
(`hoshin serve --workers 2` with PYTHONPATH set to the tree's src), warms it at the load's
day, and runs wrk on each scenario. Each line printed: the tree, the scenario, req/s, p50
and p95, and the workers' CPU time per request from /proc (steadier than the latency).

    git worktree add /tmp/before HEAD~1
    python -m bench.ab --source /tmp/before/src --source src objective actual

Put the reads first: the actuals a PUT run writes are analysed by the next read.

BENCH_AB_PEOPLE (10000), BENCH_AB_DATABASE (sqlite, or postgresql on BENCH_POSTGRES_URL's
server), BENCH_AB_SECONDS (15) and BENCH_AB_ROUNDS (2) change what runs.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import server
from bench.enterprise import enterprise_plan

PEOPLE = int(os.environ.get("BENCH_AB_PEOPLE", "10000"))
DATABASE = os.environ.get("BENCH_AB_DATABASE", "sqlite")
SECONDS = int(os.environ.get("BENCH_AB_SECONDS", "15"))
ROUNDS = int(os.environ.get("BENCH_AB_ROUNDS", "2"))
FOLDER = Path(os.environ.get("BENCH_AB_FOLDER", "/tmp/hoshin-ab")) / f"{DATABASE}-{PEOPLE}"


def kept_database() -> tuple[str, str]:
    """The kept database's URL and its editor's token; imported on the first call."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    name = f"hoshin_ab_{PEOPLE}"
    if DATABASE == "sqlite":
        url = f"sqlite:///{FOLDER / 'bench.db'}"
    else:
        url = make_url(server.POSTGRES_URL).set(database=name).render_as_string(False)
    state = FOLDER / "state.json"
    if not state.exists():
        if DATABASE != "sqlite":
            admin = create_engine(server.POSTGRES_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
        _, token = server.import_plan(url, enterprise_plan(PEOPLE))
        state.write_text(json.dumps({"token": token, "month": 0}))
    return url, str(json.loads(state.read_text())["token"])


def next_month() -> int:
    """A first month no earlier run of this database wrote (PUTs create new actuals)."""
    state = FOLDER / "state.json"
    found = json.loads(state.read_text())
    found["month"] += 12
    state.write_text(json.dumps(found))
    return int(found["month"])


def run(source: Path, scenarios: list[str], url: str, token: str) -> None:
    """One round of ``scenarios`` on the hoshin of ``source``."""
    os.environ["PYTHONPATH"] = str(source.resolve())
    with server.serving(url, FOLDER) as (port, process):
        server.wait_until_up(port, token, process)
        server.warm(port, token)
        for scenario in scenarios:
            server.settle(port, token)
            found = server.load(
                port, token, scenario, people=PEOPLE, connections=server.CONNECTIONS,
                seconds=SECONDS, first_month=next_month(), server=process.pid,
            )  # fmt: skip
            print(
                f"{source}\t{scenario}\t{found.requests / found.seconds:,.0f} req/s\t"
                f"p50 {found.p50_ms:.1f} ms\tp95 {found.p95_ms:.1f} ms\t"
                f"CPU {found.cpu_ms or 0.0:.2f} ms/request\t"
                f"errors {found.non_2xx + found.socket_errors}",
                flush=True,
            )


def main() -> None:
    """Alternates the source trees for BENCH_AB_ROUNDS rounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, action="append", required=True)
    parser.add_argument("scenarios", nargs="+", choices=[s for s, _, _ in server.SCENARIOS])
    asked = parser.parse_args()
    url, token = kept_database()
    for _ in range(ROUNDS):
        for source in asked.source:
            run(source, asked.scenarios, url, token)


if __name__ == "__main__":
    main()
