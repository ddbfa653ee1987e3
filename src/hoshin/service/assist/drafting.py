"""A draft objective from a sentence as a plan-file fragment: the ``objectives:`` entry the
plan file writer writes (so it pastes into a plan file as it is), with how the sentence was
read and each year's target (YAML comments, or JSON fields beside ``objectives``)."""

from __future__ import annotations

import json
import textwrap
from dataclasses import replace
from datetime import date
from typing import Any, Literal

from hoshin.domain.assist.draft import Draft, draft_objective
from hoshin.domain.figures import number
from hoshin.domain.model import Level, Organization, Plan
from hoshin.domain.text import text_problem
from hoshin.planfile.writer import dump_plan, plan_to_data
from hoshin.service.assist import llm

Format = Literal["yaml", "json"]
FORMATS: tuple[Format, ...] = ("yaml", "json")
WIDTH = 100  # as the plan file writer's lines
POLISH = (
    "You polish the title of one objective of a strategy plan, written from a person's "
    "sentence. Answer with the title only: one line, at most 150 characters, in the "
    "sentence's language, no quotes, no explanation. Keep every number, unit and date as "
    "written; make it read as a clear, specific goal."
)


def draft_text(
    sentence: str,
    *,
    as_of: date,
    level: Level | None = None,
    fmt: Format = "yaml",
    fiscal_year_start: int = 1,
    polish: bool = False,
) -> str:
    """The draft of ``sentence`` as a plan-file fragment in ``fmt``; InvalidInput when the
    sentence cannot be read (domain.assist.draft says what is missing). With ``polish``,
    the chat model's title when one is configured (llm.rewrite)."""
    draft = draft_objective(sentence, as_of=as_of, level=level, fiscal_year_start=fiscal_year_start)
    if polish:
        draft = polished(draft)
    return draft_json(draft) if fmt == "json" else draft_yaml(draft, sentence=sentence)


def polished(draft: Draft) -> Draft:
    """The draft with the chat model's title; as it was when no model is configured or its
    answer is no title (one line of at most 300 characters)."""
    answer = llm.rewrite(draft.objective.title, instruction=POLISH)
    if answer is None or answer == draft.objective.title or text_problem(answer, "line"):
        return draft
    return replace(
        draft,
        objective=replace(draft.objective, title=answer),
        read_as=f"{draft.read_as}; the title polished by the chat model",
    )


def _plan(draft: Draft) -> Plan:
    """A plan holding the draft alone: the writer's way to write one objective."""
    return Plan(Organization("draft"), objectives=(draft.objective,))


def draft_yaml(draft: Draft, *, sentence: str) -> str:
    """The ``objectives:`` fragment in YAML, after comments saying how the sentence was read
    and the target at each year's end."""
    written = dump_plan(_plan(draft))
    fragment = written[written.index("objectives:") :]
    unit = draft.objective.metrics[0].unit
    lines = _comment(f"Drafted from: {' '.join(sentence.split())}")
    lines += _comment(f"Read as: {draft.read_as}")
    if draft.yearly:
        shown = ", ".join(f"{year}: {_figure(value, unit)}" for year, value in draft.yearly)
        lines += _comment(f"Target at each year's end: {shown}")
    return "\n".join(lines) + "\n" + fragment


def _comment(text: str) -> list[str]:
    """``text`` as YAML comment lines of at most WIDTH characters."""
    return textwrap.wrap(text, WIDTH, initial_indent="# ", subsequent_indent="#   ")


def draft_json(draft: Draft) -> str:
    """The fragment as JSON: ``objectives`` as a JSON plan file holds them, and beside it
    ``yearly_targets``, ``this_year`` and ``read_as``."""
    return json.dumps(draft_data(draft), indent=2, ensure_ascii=False) + "\n"


def draft_data(draft: Draft) -> dict[str, Any]:
    """The draft as plain data: the plan file's ``objectives`` and the figures beside it."""
    return {
        "objectives": plan_to_data(_plan(draft))["objectives"],
        "yearly_targets": [{"year": year, "target": value} for year, value in draft.yearly],
        "this_year": draft.this_year,
        "read_as": draft.read_as,
    }


def _figure(value: float, unit: str | None) -> str:
    if unit is None:
        return number(value)
    return f"{number(value)} %" if unit == "%" else f"{number(value)} {unit}"
