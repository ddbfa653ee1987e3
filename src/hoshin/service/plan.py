"""Use cases on plan files: check one, write a starter or the demo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hoshin.demo.plan import demo_plan
from hoshin.domain.analysis import Analysis, analyze
from hoshin.domain.model import Plan
from hoshin.errors import Conflict, InvalidInput
from hoshin.planfile import PlanFileError, dump_plan, read_plan
from hoshin.planfile.starter import starter_text


@dataclass(frozen=True, slots=True)
class Checked:
    """A plan read from a file and its analysis."""

    plan: Plan
    analysis: Analysis


def check_file(path: Path, *, as_of: date) -> Checked:
    """Reads and analyses a plan file; raises ``InvalidInput`` listing every FILE:LINE problem."""
    try:
        plan = read_plan(path)
    except PlanFileError as error:
        raise InvalidInput(
            f"{path}: {len(error.problems)} problem(s)", detail=error.problems
        ) from None
    return Checked(plan, analyze(plan, as_of))


def write_starter(path: Path, *, today: date, force: bool) -> None:
    """Writes the starter plan, dated from ``today``, to ``path``."""
    _write(path, starter_text(today), force=force)


def write_demo(path: Path, *, today: date, force: bool) -> Plan:
    """Writes the demo plan, with actuals up to the month before ``today``."""
    plan = demo_plan(today)
    _write(path, dump_plan(plan), force=force)
    return plan


def _write(path: Path, text: str, *, force: bool) -> None:
    if path.exists() and not force:
        raise Conflict(f"{path} exists already; use --force to overwrite it")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror}") from None
