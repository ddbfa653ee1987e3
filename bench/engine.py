"""`make bench`: the engine on synthetic enterprise plans, and `hoshin check` on plan files.

Prints a Markdown table for BENCHMARKS.md. Timings are wall-clock seconds, best of N runs.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from bench.enterprise import AS_OF, enterprise_plan
from bench.floor import columns, floor
from hoshin.domain.analysis import Analysis, analyze, paused_gc, summarize
from hoshin.domain.columns import support_links
from hoshin.domain.findings import Context, find_all
from hoshin.domain.incremental import index_plan, reanalyze, with_actuals
from hoshin.domain.model import Plan
from hoshin.domain.months import Month
from hoshin.domain.report import report
from hoshin.domain.rollup import roll_up, supports_order
from hoshin.domain.schedule import backward_schedule, objective_schedules
from hoshin.domain.status_columns import evaluate_with_columns
from hoshin.planfile import dump_plan, plan_to_data, read_plan

T = TypeVar("T")
OUT = Path(__file__).parent / "out"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,50000,200000").split(",") if s]
FILE_SIZES = [int(s) for s in os.environ.get("BENCH_FILE_SIZES", "10000,50000").split(",") if s]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``work``, in seconds."""
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def engine_row(people: int) -> str:
    """Analyze (engine only), its vectorised floor (bench/floor.py) measured in the same run,
    and the full JSON report, for a plan of ``people``."""
    plan = enterprise_plan(people)
    analysis = analyze(plan, AS_OF)
    analyze_s = best_of(3, lambda: analyze(plan, AS_OF))
    arrays = columns(plan)
    floor_s = best_of(3, lambda: floor(arrays, AS_OF))
    report_s = best_of(1, lambda: report(plan, analysis))
    size = _size(plan)
    findings = len(analysis.findings)
    check_in_ms = _check_in(plan, analysis) * 1000
    return (
        f"| {people:,} | {size} | {findings:,} | {analyze_s:.2f} | {floor_s * 1000:.0f} | "
        f"{analyze_s / floor_s:.1f}x | {analyze_s / people * 1e6:.1f} | {report_s:.2f} | "
        f"{check_in_ms:.1f} |"
    )


def engine_split(people: int) -> str:
    """CPU milliseconds of each step of ``analyze`` on the plan of ``people`` (best of 3,
    the collector paused as ``analyze`` pauses it): where the engine's time goes."""
    plan = enterprise_plan(people)
    month = Month.of_date(AS_OF)
    best: dict[str, float] = {}
    for _ in range(3):
        with paused_gc():
            spent = _steps(plan, month)
        for step, seconds in spent.items():
            best[step] = min(best.get(step, seconds), seconds)
    parts = ", ".join(f"{step} {seconds * 1000:.0f}" for step, seconds in best.items())
    return f"{people:,} people, CPU ms: {parts}"


def _steps(plan: Plan, month: Month) -> dict[str, float]:
    """``analyze``'s steps in its order, each one's CPU seconds."""
    spent: dict[str, float] = {}

    def timed(step: str, work: Callable[[], T]) -> T:
        started = time.process_time()
        done = work()
        spent[step] = time.process_time() - started
        return done

    metrics = plan.metrics()
    results, measured = timed("evaluate_metrics", lambda: evaluate_with_columns(metrics, month))
    links = timed("support_links", lambda: support_links(plan.objectives))
    order = timed("supports_order", lambda: supports_order(plan.objectives, links))
    rollups = timed(
        "roll_up", lambda: roll_up(plan.objectives, results, order, links, measured=measured)
    )
    actions = timed(
        "backward_schedule", lambda: backward_schedule(plan.actions, plan.objectives, AS_OF)
    )
    schedules = timed(
        "objective_schedules", lambda: objective_schedules(plan.objectives, plan.actions, actions)
    )
    context = Context(plan, AS_OF, metrics, results, rollups, actions, schedules)
    timed("find_all", lambda: find_all(context))
    timed("summarize", lambda: summarize(plan, rollups, order, links))
    return spent


def _check_in(plan: Plan, analysis: Analysis, count: int = 30) -> float:
    """The median time to bring the analysis up to date after one new actual (what the
    server does after a check-in), over ``count`` actuals of random metrics."""
    rng = random.Random(3)
    index = index_plan(plan)
    metrics = plan.metrics()
    month = min(m.baseline_period for m in metrics if m.baseline_period is not None) + 12
    times = []
    for _ in range(count):
        metric = rng.choice(metrics).id
        started = time.perf_counter()
        plan = with_actuals(plan, index, [(metric, month, rng.uniform(0, 100))])
        analysis = reanalyze(plan, index, analysis, [metric])
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def file_row(people: int) -> str:
    """`hoshin check` on the plan written as YAML and as JSON (whole command, wall clock)."""
    OUT.mkdir(exist_ok=True)
    plan = enterprise_plan(people)
    yaml_path = OUT / f"enterprise-{people}.yaml"
    json_path = OUT / f"enterprise-{people}.json"
    yaml_path.write_text(dump_plan(plan), encoding="utf-8")
    json_path.write_text(json.dumps(plan_to_data(plan), default=date.isoformat), encoding="utf-8")
    del plan
    cells = []
    for path in (yaml_path, json_path):
        read_s = best_of(1, lambda: read_plan(path))  # noqa: B023 - called at once
        check_s = best_of(1, lambda: _check(path))  # noqa: B023 - called at once
        cells.append(f"{path.stat().st_size / 1e6:.0f} MB | {read_s:.1f} | {check_s:.1f}")
    return f"| {people:,} | " + " | ".join(cells) + " |"


def _check(path: Path) -> None:
    command = [sys.executable, "-m", "hoshin", "check", str(path), "--as-of", str(AS_OF)]
    done = subprocess.run([*command, "--format", "json"], stdout=subprocess.DEVNULL, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"hoshin check failed on {path} with exit {done.returncode}")


def _size(plan: Plan) -> str:
    metrics = plan.metrics()
    actuals = sum(len(m.actuals) for m in metrics)
    return (
        f"{len(plan.objectives):,} obj, {len(metrics):,} metrics, {actuals / 1e6:.1f}M actuals, "
        f"{len(plan.actions):,} actions"
    )


def main() -> None:
    """Runs every benchmark and prints the tables."""
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; as of {AS_OF}"
    )
    print()
    print(
        "| people | plan | findings | analyze (s) | floor (ms) | analyze / floor "
        "| µs per person | JSON report (s) | one check-in (ms) |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for people in SIZES:
        print(engine_row(people), flush=True)
    print()
    for people in SIZES:
        print(engine_split(people), flush=True)
    if FILE_SIZES:
        print()
        print(
            "| people | YAML size | read (s) | `hoshin check` (s) "
            "| JSON size | read (s) | `hoshin check` (s) |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for people in FILE_SIZES:
            print(file_row(people), flush=True)


if __name__ == "__main__":
    main()
