"""`make bench-assist` (quality): the assistant on the labelled set of tests/assist/.

For each labelled plan, in the shipped model's space and in the lexical (TF-IDF) baseline's:
parents top-1 and top-3 accuracy (right when a suggestion is one of the objective's true
`supports`), overlap precision and recall at the default threshold (objectives and metrics,
against the planted duplicates of truth.yaml), and the share of the draft sentences read
exactly right. Prints a Markdown table for BENCHMARKS.md.

    python -m bench.assist_quality [--verbose] [--sweep]

--verbose lists every parent miss and every wrong or missed overlap; --sweep prints
precision and recall at other thresholds (what the default was tuned on).
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.overlaps import default_threshold
from hoshin.domain.assist.space import Space
from hoshin.domain.assist.words import plan_texts
from hoshin.domain.model import Plan
from hoshin.service.assist.embedding import MODEL
from hoshin.service.assist.spaces import model_space

# The labelled set and its scoring live with the tests (tests/assist/quality.py, imported there
# as assist.quality: one name for it everywhere).
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from assist.quality import (
    Overlaps,
    Parents,
    draft_mismatches,
    labelled_plan,
    load_truth,
    refused,
    score_overlaps,
    score_parents,
)

SPACES: dict[str, Callable[[Plan], Space]] = {
    "model": lambda plan: model_space(plan_texts(plan)),
    "lexical": lambda plan: lexical_space(plan_texts(plan)),
}
SWEEP = [round(0.30 + 0.05 * step, 2) for step in range(14)]  # 0.30 .. 0.95


def _share(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.2f}"


def _overlap_cell(score: Overlaps) -> str:
    return (
        f"{_share(score.precision)} / {_share(score.recall)} "
        f"({score.right} of {score.planted}; {score.reported} reported)"
    )


def _row(name: str, space: str, parents: Parents, found: dict[str, Overlaps]) -> str:
    near = found["objective"].near_misses + found["metric"].near_misses
    return (
        f"| {name} | {space} | {_share(parents.top1_accuracy)} | "
        f"{_share(parents.top3_accuracy)} | {_overlap_cell(found['objective'])} | "
        f"{_overlap_cell(found['metric'])} | {near} |"
    )


def quality_table(verbose: bool) -> list[str]:
    """The table's rows: each plan in each space, then the totals over all plans."""
    truth = load_truth()
    lines = [
        "| plan | space | parents top-1 | parents top-3 | objective overlaps: precision / "
        "recall | metric overlaps: precision / recall | near-misses reported |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals = {name: (Parents(), {"objective": Overlaps(), "metric": Overlaps()}) for name in SPACES}
    for labelled in truth.plans:
        plan = labelled_plan(labelled.file)
        for name, make in SPACES.items():
            space = make(plan)
            parents = score_parents(plan, space, labelled.duplicates["objective"])
            found = score_overlaps(plan, labelled, space)
            lines.append(_row(f"{labelled.file} ({parents.asked} asked)", name, parents, found))
            totals[name][0].add(parents)
            for kind, score in found.items():
                totals[name][1][kind].add(score)
            if verbose:
                _details(labelled.file, name, parents, found)
    for name, (parents, found) in totals.items():
        lines.append(
            _row(f"**all {len(truth.plans)} plans** ({parents.asked})", name, parents, found)
        )
    return lines


def _details(plan: str, space: str, parents: Parents, found: dict[str, Overlaps]) -> None:
    print(f"\n{plan}, {space} space")
    for miss in parents.misses:
        print(f"  parent  {miss}")
    for kind, score in found.items():
        for pair in score.wrong:
            print(f"  {kind} overlap reported, not planted: {pair}")
        for pair in score.missed:
            print(f"  {kind} overlap planted, not reported: {pair}")


def drafts_line(verbose: bool) -> str:
    """How many draft sentences were read exactly right, and how many refusals refused."""
    truth = load_truth()
    right = 0
    for case in truth.drafts:
        wrong = draft_mismatches(case)
        right += not wrong
        if wrong and verbose:
            print(f"  draft '{case.sentence}': {'; '.join(wrong)}")
    refusals = sum(refused(case) for case in truth.refusals)
    return (
        f"Drafts read exactly right: {right} of {len(truth.drafts)} sentences "
        f"({right / len(truth.drafts):.0%}); refused as they should be: {refusals} of "
        f"{len(truth.refusals)}. (A draft reads the sentence alone: no space is involved.)"
    )


def sweep_table() -> list[str]:
    """Overlap precision / recall over all plans at other thresholds, for each space."""
    truth = load_truth()
    lines = [
        "| threshold | " + " | ".join(f"{n} objectives | {n} metrics" for n in SPACES) + " |",
        "| ---: | " + " | ".join("---: | ---:" for _ in SPACES) + " |",
    ]
    spaces = {
        (labelled.file, name): make(labelled_plan(labelled.file))
        for labelled in truth.plans
        for name, make in SPACES.items()
    }
    for threshold in SWEEP:
        cells = []
        for name in SPACES:
            pooled = {"objective": Overlaps(), "metric": Overlaps()}
            for labelled in truth.plans:
                plan, space = labelled_plan(labelled.file), spaces[labelled.file, name]
                for kind, score in score_overlaps(
                    plan, labelled, space, threshold=threshold
                ).items():
                    pooled[kind].add(score)
            cells += [
                f"{_share(s.precision)} / {_share(s.recall)} ({s.reported})"
                for s in pooled.values()
            ]
        lines.append(f"| {threshold:.2f} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    """Prints the quality table (and the drafts' line) for BENCHMARKS.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list each miss")
    parser.add_argument("--sweep", action="store_true", help="precision/recall by threshold")
    options = parser.parse_args()
    started = time.perf_counter()
    plan = labelled_plan(load_truth().plans[0].file)
    thresholds = {name: default_threshold(make(plan)) for name, make in SPACES.items()}
    print(
        f"The assistant's quality on the labelled set: model {MODEL}; overlap thresholds "
        + ", ".join(f"{name} {value}" for name, value in thresholds.items())
        + f"; {platform.python_version()} on {platform.machine()}\n"
    )
    print("\n".join(quality_table(options.verbose)))
    print()
    print(drafts_line(options.verbose))
    if options.sweep:
        print("\nOverlaps over all plans by threshold: precision / recall (pairs reported)\n")
        print("\n".join(sweep_table()))
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
