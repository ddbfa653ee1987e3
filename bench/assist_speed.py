"""`make bench-assist` (speed): the assistant on the enterprise plan of bench/enterprise.py.

For each size (BENCH_ASSIST_SIZES, default "10000,50000" people): the plan's model space
made in the background as the server makes it (runtime.assist_spaces: texts, unique texts,
seconds, MB), an edit's space grown from it, the suggestions for one objective once the
space is made (p50/p95 over 50 team and individual objectives, the server's own
plan_space lookup included), a typed title's (one text embedded, then ranked), the lexical
fallback's, and a full overlap scan. Prints Markdown for BENCHMARKS.md.

PYTHONPATH=. python -m bench.assist_speed
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import TypeVar

from bench.enterprise import AS_OF, enterprise_plan
from hoshin.domain.analysis import analyze
from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.parents import LEVEL_ABOVE, Candidate
from hoshin.domain.assist.space import Space
from hoshin.domain.assist.words import objective_text
from hoshin.domain.incremental import index_plan
from hoshin.domain.model import Plan
from hoshin.runtime import assist_spaces
from hoshin.service.analysis import Analysed
from hoshin.service.assist import suggest
from hoshin.service.assist.embedding import MODEL, embed

T = TypeVar("T")
SIZES = [int(s) for s in os.environ.get("BENCH_ASSIST_SIZES", "10000,50000").split(",") if s]
ASKED = 50  # objectives (and typed titles) whose suggestions are timed
EMBED_SAMPLE = 4096  # texts embedded with one thread and with two, to compare
HOUR = 3600.0
POLL = 0.5  # seconds between two looks at whether the objectives' part serves
TYPED = (
    "Cut the lead time of team {n} orders",
    "Improve first-pass yield on line {n}",
    "Halve warranty claims in region {n}",
    "Grow service revenue of branch {n}",
    "Zero lost-time injuries at site {n}",
)


def found_of(plan: Plan) -> Analysed:
    """The plan as the server's analysis cache holds it (its index map is the structure)."""
    return Analysed(1, plan, analyze(plan, AS_OF), {}, index_plan(plan).objective_at)


def percentiles(times: Sequence[float]) -> str:
    """p50 / p95 of ``times`` (seconds) in ms."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered) * 1000:.1f} / {p95 * 1000:.1f}"


def timed(work: Callable[[], T]) -> tuple[float, T]:
    """Seconds ``work()`` took, and its result."""
    gc.collect()
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def made(found: Analysed) -> tuple[float, float, Space]:
    """Seconds until the objectives' part of the plan's space serves, until the whole
    does (looked at every POLL seconds), and the space."""
    started = time.perf_counter()
    partial_s = None
    while (space := assist_spaces.wait_for_space(found, POLL)) is None:
        if partial_s is None and assist_spaces.plan_space(found, whole=False) is not None:
            partial_s = time.perf_counter() - started
        assert time.perf_counter() - started < HOUR, "the space was not made within an hour"
    made_s = time.perf_counter() - started
    return made_s if partial_s is None else partial_s, made_s, space


def asked_objectives(plan: Plan) -> list[str]:
    """ASKED objectives spread over the plan's team and individual levels (deterministic)."""
    below = [o.id for o in plan.objectives if o.level in ("team", "individual")]
    step = max(1, len(below) // ASKED)
    return below[::step][:ASKED]


def embed_threads(texts: list[str]) -> tuple[float, float]:
    """Texts a second embedding ``texts`` with one thread, then with two (halves)."""
    one, _ = timed(lambda: embed(texts))
    half = len(texts) // 2

    def both() -> None:
        other = threading.Thread(target=embed, args=(texts[half:],))
        other.start()
        embed(texts[:half])
        other.join()

    two, _ = timed(both)
    return len(texts) / one, len(texts) / two


def size_rows(people: int) -> list[str]:
    """The measured rows of one plan size."""
    plan = enterprise_plan(people)
    found = found_of(plan)
    texts = assist_spaces.space_texts(plan)
    embed(["warm the model up"])  # its load (0.3 s) is once per process, not per plan
    partial_s, made_s, space = made(found)
    mb = space.matrix.nbytes / 2**20
    rows = [
        f"| {people:,} | model space made in the background | {len(plan.objectives):,} "
        f"objectives, {len(texts):,} texts ({len(set(texts)):,} unique), {mb:.0f} MB | "
        f"{made_s:.1f} s ({len(texts) / made_s:,.0f} texts/s) |",
        f"| {people:,} | its objectives' part ready (parents, addresses) | "
        f"{len(plan.objectives):,} texts | {partial_s:.1f} s |",
    ]
    # An edit: one objective renamed; its space is grown from the one above.
    renamed = list(plan.objectives)
    renamed[-1] = replace(renamed[-1], title=renamed[-1].title + " (renamed)")
    edited = found_of(replace(plan, objectives=tuple(renamed)))
    grow_s, grown = timed(lambda: assist_spaces.wait_for_space(edited, HOUR))
    assert grown is not None
    rows.append(f"| {people:,} | an edit's space (one title renamed) | 1 text embedded | "
                f"{grow_s * 1000:.0f} ms |")  # fmt: skip
    asked = asked_objectives(plan)

    def ask(key: str) -> object:
        return suggest.parents(plan, key, space=assist_spaces.plan_space(found))

    times = [timed(partial(ask, key))[0] for key in asked]
    rows.append(f"| {people:,} | parents of one objective, space made | {len(asked)} team and "
                f"individual objectives, top 3 | p50 / p95 {percentiles(times)} ms |")  # fmt: skip
    units = [o.unit for o in plan.objectives if o.level == "individual"]
    typed = [
        Candidate(TYPED[n % len(TYPED)].format(n=n), "individual", unit=units[n % len(units)])
        for n in range(ASKED)
    ]
    times = [timed(partial(suggest.parents_for, plan, c, space=space))[0] for c in typed]
    rows.append(f"| {people:,} | parents of a typed title (embed 1 text + rank) | {ASKED} "
                f"individual titles | p50 / p95 {percentiles(times)} ms |")  # fmt: skip
    rows.append(lexical_row(people, plan, typed))
    scan_s, scan = timed(lambda: suggest.overlap_scan(plan, space=space))
    rows.append(f"| {people:,} | full overlap scan (model, threshold {scan.threshold}) | "
                f"{scan.total:,} pairs found | {scan_s:.1f} s |")  # fmt: skip
    assist_spaces.forget()
    return rows


def lexical_row(people: int, plan: Plan, typed: list[Candidate]) -> str:
    """A typed title's parents from the lexical fallback (while the model's space is made):
    the TF-IDF space of the level above and the title, then the ranking."""

    def fallback(candidate: Candidate) -> object:
        above = LEVEL_ABOVE[candidate.level]
        texts = [objective_text(o) for o in plan.objectives if o.level == above]
        space = lexical_space([*texts, candidate.text()])
        return suggest.parents_for(plan, candidate, space=space)

    times = [timed(partial(fallback, c))[0] for c in typed[:10]]
    return (f"| {people:,} | parents of a typed title, lexical fallback | 10 individual "
            f"titles | p50 / p95 {percentiles(times)} ms |")  # fmt: skip


def cpu_name() -> str:
    """The processor's model name (Linux), else what platform says."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    """Prints the speed table."""
    print(f"machine: {cpu_name()}, {os.cpu_count()} cores; model: {MODEL}")
    sample = [f"Individual {n}: 3 improvements in 2027" for n in range(EMBED_SAMPLE)]
    embed(sample[:64])
    one, two = embed_threads(sample)
    print(f"embedding {EMBED_SAMPLE:,} texts: one thread {one:,.0f} texts/s, "
          f"two threads {two:,.0f} texts/s")  # fmt: skip
    print()
    print("| people | what | size | time |")
    print("| --- | --- | --- | --- |")
    for people in SIZES:
        for row in size_rows(people):
            print(row, flush=True)


if __name__ == "__main__":
    main()
