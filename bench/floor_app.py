"""The framework's floor for `make bench-server`: a bare FastAPI app, served as hoshin is.

One async GET route at the objective read's path (so bench/server.lua's ``objective``
scenario loads it unchanged) answering a JSON body of the same size and shape: the body a
real objective read gave in the same run (BENCH_FLOOR_BODY, set by bench/server.py), else
SAMPLE. No database, no guard, no analysis: what any FastAPI route on uvicorn costs, so
that each hot request of hoshin is reported as a ratio to it.

Served like `hoshin serve --workers 2` (hoshin.runtime.workers): WORKERS uvicorn processes,
each on a SO_REUSEPORT socket of its own, with the same uvicorn settings (factory, log
level, HOSHIN_TRUSTED_PROXIES). Written apart because workers.py serves hoshin's app only.

    python -m bench.floor_app --port 8001
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import threading
from typing import Annotated, Any

import uvicorn
from fastapi import FastAPI, Path, Response

from hoshin.config import settings
from hoshin.runtime.proxies import proxy_options
from hoshin.runtime.workers import hold_address, listening_socket

APP = "bench.floor_app:create_floor"
WORKERS = 2
LOG_LEVEL = "warning"  # as hoshin serve's
# An individual objective's read at 10,000 people (bench/enterprise.py), as hoshin gave it.
SAMPLE: dict[str, Any] = {
    "id": "I0",
    "title": "Individual objective 0 of team T0: raise the share of on-time deliveries",
    "level": "individual",
    "owner": "P0",
    "unit": "U0",
    "start": "2025-01",
    "end": "2027-12",
    "tolerance": 0.05,
    "customer_benefit": None,
    "description": None,
    "version": 1,
    "supports": {"T0": 1.0},
    "supports_strength": {"T0": "strong"},
    "metrics": [
        {
            "id": f"I0m{n}",
            "name": f"Metric {n} of I0",
            "unit": "%",
            "direction": "increase",
            "status": "green",
        }
        for n in range(3)
    ],
    "addresses": [],
    "analysis": {
        "level": "individual",
        "progress": 0.4127,
        "planned_progress": 0.6667,
        "status": "amber",
        "schedule": {"feasible": True, "days_late": 0, "critical": ["A0a", "A0b"]},
    },
}


def body() -> dict[str, Any]:
    """The body the route answers: BENCH_FLOOR_BODY's JSON, else SAMPLE."""
    given = os.environ.get("BENCH_FLOOR_BODY")
    if not given:
        return SAMPLE
    found: dict[str, Any] = json.loads(given)
    return found


def create_floor() -> FastAPI:
    """The bare app: the objective read's path, the body, an ETag, nothing else."""
    app = FastAPI(docs_url=None, redoc_url=None)
    answer = body()

    @app.get("/api/v1/orgs/{org}/objectives/{objective}")
    async def read_objective(
        org: str, objective: Annotated[str, Path()], response: Response
    ) -> dict[str, Any]:
        """The same body for every objective, with the id asked for."""
        response.headers["ETag"] = f'"{answer["version"]}"'
        return {**answer, "id": objective}

    return app


def run_worker(host: str, port: int) -> None:
    """One worker: uvicorn on a socket of its own, as hoshin.runtime.workers.run_worker."""
    proxies = proxy_options(settings().trusted_proxies)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, log_level=LOG_LEVEL, **proxies)
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def main() -> None:
    """Serves the floor with WORKERS processes until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=WORKERS)
    asked = parser.parse_args()
    holder = hold_address(asked.host, asked.port)
    stop = threading.Event()
    for kind in (signal.SIGINT, signal.SIGTERM):
        signal.signal(kind, lambda _signal, _frame: stop.set())
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=run_worker, args=(asked.host, asked.port))
        for _ in range(asked.workers)
    ]
    for process in workers:
        process.start()
    try:
        while not stop.wait(0.5) and all(p.exitcode is None for p in workers):
            pass
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.join(20)
        holder.close()


if __name__ == "__main__":
    main()
