"""``hoshin assist situation``: the weaknesses, threats and opportunities that no objective
addresses, and the objectives likeliest to address each."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from hoshin.cli.assist import AsOfOption, FormatOption, OrgOption, Output, PlanArgument, assist_app
from hoshin.cli.documents import plan_source
from hoshin.domain.assist.situation import AddressSuggestion, unaddressed
from hoshin.domain.model import Plan, SituationItem
from hoshin.service.assist.addresses import suggest_addresses


@assist_app.command("situation")
def situation(
    file: PlanArgument = None,
    org: OrgOption = None,
    as_of: AsOfOption = None,
    output: FormatOption = Output.text,
) -> None:
    """List the weaknesses, threats and opportunities of the situation that no objective
    addresses, each with the objectives likeliest to address it."""
    plan = plan_source(file, org, as_of).plan
    items = unaddressed(plan)
    found: dict[str, list[AddressSuggestion]] = defaultdict(list)
    for suggestion in suggest_addresses(plan):
        found[suggestion.item].append(suggestion)
    if output is Output.json:
        sys.stdout.write(json.dumps(_json(plan, items, found)) + "\n")
        return
    console = Console(highlight=False, markup=False)  # plan text is never rich markup
    console.print(_summary(plan, items), markup=False)
    if items:
        console.print(_table(items, found))


def _summary(plan: Plan, items: list[SituationItem]) -> str:
    """What the situation holds and how much of it no objective addresses."""
    if not plan.situation:
        return (
            "The plan has no situation: list its strengths, weaknesses, opportunities and "
            "threats under situation: in the plan file, or on its Current position page."
        )
    count = len(plan.situation)
    held = f"{count} item{'' if count == 1 else 's'}"
    if not items:
        return f"Every weakness, threat and opportunity of the situation ({held}) is addressed."
    warned = sum(1 for item in items if item.kind != "opportunity")
    warning = f" ({warned} a weakness or threat: a warning in hoshin check)" if warned else ""
    return (
        f"The situation has {held}; no objective addresses {len(items)} of them{warning}. "
        "Name an item in the addresses of the objective that answers it:"
    )


def _json(
    plan: Plan, items: list[SituationItem], found: dict[str, list[AddressSuggestion]]
) -> dict[str, Any]:
    return {
        "space": "model",
        "items": len(plan.situation),
        "unaddressed": [
            {
                "id": item.id, "kind": item.kind, "text": item.text,
                "suggestions": [
                    {"objective": s.objective, "title": s.title, "score": s.score,
                     "terms": list(s.terms)}
                    for s in found.get(item.id, [])
                ],
            }
            for item in items
        ],
    }  # fmt: skip


def _table(items: list[SituationItem], found: dict[str, list[AddressSuggestion]]) -> Table:
    """One row per suggestion, its item named on the first; an item without one says so."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    table.add_column("item", ratio=2)
    table.add_column("may be addressed by", ratio=3)
    table.add_column("score", justify="right")
    table.add_column("shares", ratio=1)
    for item in items:
        named = f"{item.id} ({item.kind}) {item.text}"
        suggestions = found.get(item.id, [])
        if not suggestions:
            table.add_row(named, "no objective is like it: add one", "", "")
        for at, s in enumerate(suggestions):
            shares = ", ".join(s.terms) or "-"
            table.add_row(named if at == 0 else "", f"{s.objective} {s.title}", f"{s.score:.2f}",
                          shares)  # fmt: skip
        table.add_section()
    return table
