"""`make bench-engine`: what a worker holds and waits for at its first analysis.

A fresh process loads the enterprise plan from a SQLite database (``load_plan``) and analyses
it, as a server worker does on its first read; it prints the seconds of each step and the
resident memory (RSS) after each. The database is made once, with ``bench.server.import_plan``,
and kept in bench/out (delete it to import again).
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.enterprise import AS_OF, enterprise_plan

OUT = Path(__file__).parent / "out"
SIZES = [int(s) for s in os.environ.get("BENCH_MEMORY_SIZES", "50000").split(",") if s]


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def database(people: int) -> Path:
    """The SQLite file holding the plan of ``people``, imported on first use."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"memory-{people}.db"
    if not path.exists():
        from bench.server import import_plan

        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        seconds, _ = import_plan(f"sqlite:///{partial}", enterprise_plan(people))
        partial.rename(path)
        print(f"imported {people:,} people in {seconds:.1f} s", file=sys.stderr)
    return path


def host_ms() -> float:
    """Milliseconds of sum(range(10**7)) now: how loaded the host is (idle: 110-160)."""
    started = time.perf_counter()
    sum(range(10**7))
    return (time.perf_counter() - started) * 1000


def first_analysis(path: Path) -> dict[str, float]:
    """Seconds and RSS of load_plan and of the first analyze, in this process."""
    from hoshin.domain.analysis import analyze
    from hoshin.runtime.engine import session_factory
    from hoshin.runtime.sessions import open_engine
    from hoshin.store import organization as org_store
    from hoshin.store.plan_load import load_plan

    figures = {"start_mb": resident_mb(), "host_ms": host_ms()}
    engine = open_engine(f"sqlite:///{path}")
    with session_factory(engine)() as session:
        org = org_store.get_organization(session, slug="bench")
        started, cpu = time.perf_counter(), time.process_time()
        plan = load_plan(session, org=org)
        figures["load_s"] = time.perf_counter() - started
        figures["load_cpu_s"] = time.process_time() - cpu
    engine.dispose()
    gc.collect()
    figures["plan_mb"] = resident_mb()
    started, cpu = time.perf_counter(), time.process_time()
    analysis = analyze(plan, AS_OF)
    figures["analyze_s"] = time.perf_counter() - started
    figures["analyze_cpu_s"] = time.process_time() - cpu
    gc.collect()
    figures["analysis_mb"] = resident_mb()
    figures["findings"] = len(analysis.findings)
    return figures


def worker_analysis(path: Path) -> dict[str, float]:
    """Seconds and RSS of a server worker's first read of the analysis: every module of the
    server imported, then the plan loaded, analysed and kept by the worker's AnalysisCache
    (which moves it out of the cycle collector's reach and gives freed memory back)."""
    from hoshin.runtime.engine import session_factory
    from hoshin.runtime.sessions import open_engine
    from hoshin.server import create_server
    from hoshin.service.analysis import AnalysisCache
    from hoshin.store import organization as org_store

    create_server  # noqa: B018 - imported for its modules, as `hoshin serve` has them
    figures = {"start_mb": resident_mb(), "host_ms": host_ms()}
    engine = open_engine(f"sqlite:///{path}")
    cache = AnalysisCache()
    with session_factory(engine)() as session:
        org = org_store.get_organization(session, slug="bench")
        started, cpu = time.perf_counter(), time.process_time()
        analysed = cache.get(session, org=org, as_of=AS_OF)
        figures["first_s"] = time.perf_counter() - started
        figures["first_cpu_s"] = time.process_time() - cpu
    engine.dispose()
    figures["worker_mb"] = resident_mb()
    figures["findings"] = len(analysed.analysis.findings)
    return figures


def _child(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "bench.memory", *args], capture_output=True,
                          text=True, check=True)  # fmt: skip
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def main() -> None:
    """One fresh process per size and kind: load and analyse; a worker's first read."""
    if len(sys.argv) == 2:  # the child: one measurement, as JSON
        print(json.dumps(first_analysis(Path(sys.argv[1]))))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        print(json.dumps(worker_analysis(Path(sys.argv[2]))))
        return
    print(
        "| people | load_plan (s) | CPU (s) | first analyze (s) | CPU (s) | RSS empty (MB) "
        "| with plan (MB) | with analysis (MB) | host sum(range(10**7)) (ms) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    workers = []
    for people in SIZES:
        path = database(people)
        got = _child(str(path))
        workers.append((people, _child("--worker", str(path))))
        print(
            f"| {people:,} | {got['load_s']:.1f} | {got['load_cpu_s']:.1f} | "
            f"{got['analyze_s']:.1f} | {got['analyze_cpu_s']:.1f} | "
            f"{got['start_mb']:.0f} | {got['plan_mb']:.0f} | {got['analysis_mb']:.0f} | "
            f"{got['host_ms']:.0f} |",
            flush=True,
        )
    print(
        "\n| people | a worker's first read (s) | CPU (s) | RSS of the server's modules (MB) "
        "| RSS after (MB) | host sum(range(10**7)) (ms) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for people, got in workers:
        print(
            f"| {people:,} | {got['first_s']:.1f} | {got['first_cpu_s']:.1f} | "
            f"{got['start_mb']:.0f} | {got['worker_mb']:.0f} | {got['host_ms']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
