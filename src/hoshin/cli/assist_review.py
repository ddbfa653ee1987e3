"""``hoshin assist review``: which of specific, measurable, achievable, relevant and
time-bound each objective fails, with a concrete suggestion for each."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from hoshin.cli.assist import AsOfOption, FormatOption, OrgOption, Output, PlanArgument, assist_app
from hoshin.cli.documents import plan_source
from hoshin.domain.assist.review import CRITERIA, Criterion, SmartReview, review_record
from hoshin.service.assist.review import review

ObjectiveOption = Annotated[
    str | None,
    typer.Option("--objective", help="Review this objective alone (its id).", show_default=False),
]
RewriteOption = Annotated[
    bool,
    typer.Option(
        "--rewrite",
        help="Also ask the chat model (HOSHIN_LLM_URL) to rewrite each failing title.",
    ),
]
NAMED_PASSING = 10  # the objectives that pass all are named when there are this few
INDENT = 4


def criterion_name(criterion: Criterion) -> str:
    """How a criterion reads: 'time_bound' -> 'time-bound'."""
    return criterion.replace("_", "-")


@assist_app.command("review")
def review_command(
    file: PlanArgument = None,
    org: OrgOption = None,
    objective: ObjectiveOption = None,
    as_of: AsOfOption = None,
    rewrite: RewriteOption = False,
    output: FormatOption = Output.text,
) -> None:
    """SMART review: for each objective, which of specific, measurable, achievable, relevant
    and time-bound it fails, with a suggestion (a metric, a parent, a deadline, a word).
    Exit 0 whatever it finds: a review is advice."""
    found = plan_source(file, org, as_of)
    reviews = review(found.plan, found.analysis, objective=objective, rewrite=rewrite)
    if output is Output.json:
        sys.stdout.write(json.dumps([review_record(item) for item in reviews]) + "\n")
        return
    console = Console(highlight=False, markup=False)  # plan text is never rich markup
    header = Text(f"SMART review of {found.plan.organization.name}", style="bold")
    header.append(f" as of {found.analysis.as_of}", style="")
    console.print(header)
    for item in reviews:
        if item.failing or objective is not None:
            _print_review(console, item)
    console.print()
    _wrapped(console, Text(summary(reviews)))


def _print_review(console: Console, item: SmartReview) -> None:
    """The objective, then each criterion it fails with its problem and its suggestion."""
    title = Text("\n")
    title.append(item.objective, style="bold")
    title.append(f"  {item.title}")
    console.print(title)
    for failing in item.failing:
        problem = Text(criterion_name(failing.criterion), style="bold red")
        problem.append(f": {failing.problem}", style="")
        _wrapped(console, problem, mark=Text("✗", style="red"))
        _wrapped(console, Text(failing.suggestion), mark=Text("→"))
    if item.rewrite is not None:
        rewritten = Text.assemble(("rewritten: ", "bold"), item.rewrite)
        _wrapped(console, rewritten, mark=Text("✎"))
    passes = ", ".join(criterion_name(c) for c in item.passes)
    said = "passes all five" if len(item.passes) == len(CRITERIA) else f"passes: {passes or '-'}"
    _wrapped(console, Text(said), mark=Text("✓", style="green"))


def _wrapped(console: Console, text: Text, *, mark: Text | None = None) -> None:
    """``text`` wrapped to the console, after ``mark`` and indented when there is a mark,
    wrapped lines hanging under the text; no padding to the console's width (piped output
    has no trailing spaces)."""
    indent = INDENT + 2 if mark is not None else 0
    for at, line in enumerate(text.wrap(console, max(console.width - indent, 20))):
        line.rstrip()
        lead = Text(" " * indent)
        if mark is not None and at == 0:
            lead = Text.assemble(" " * INDENT, mark, " ")
        console.print(Text.assemble(lead, line), soft_wrap=True)


def summary(reviews: list[SmartReview]) -> str:
    """How many objectives were reviewed, how many pass all five (named when few), and how
    many fail each criterion."""
    passing = [item.objective for item in reviews if not item.failing]
    count = len(reviews)
    noun = "objective" if count == 1 else "objectives"
    verb = "passes" if len(passing) == 1 else "pass"
    text = f"{count:,} {noun} reviewed, {len(passing):,} {verb} all five"
    if passing and len(passing) <= NAMED_PASSING:
        text += f" ({', '.join(passing)})"
    failed = Counter(c for item in reviews for c in {f.criterion for f in item.failing})
    if failed:
        text += "; not " + ", not ".join(
            f"{criterion_name(c)} {failed[c]:,}" for c in CRITERIA if failed[c]
        )
    return text + "."
