"""Exporting a plan: as a plan file (YAML, JSON), an Excel workbook or a zip of CSV files,
from an organisation or from a plan file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from hoshin.domain.analysis import Analysis
from hoshin.domain.model import Plan
from hoshin.errors import InvalidInput
from hoshin.planfile import PlanFileError, dump_plan, plan_to_data, read_plan
from hoshin.planfile.workbook import csv_zip_bytes, workbook_bytes
from hoshin.store import organization as org_store
from hoshin.store.plan_load import load_plan

Format = Literal["yaml", "json", "xlsx", "csv"]
FORMATS: tuple[Format, ...] = ("yaml", "json", "xlsx", "csv")
# What each format is saved as: the CSV files come zipped (service.document.download's kinds).
SUFFIX: dict[Format, str] = {"yaml": "yaml", "json": "json", "xlsx": "xlsx", "csv": "zip"}
# Formats that hold the engine's numbers (progress, status, schedule): they need an analysis.
ANALYSED: frozenset[Format] = frozenset({"xlsx", "csv"})


def plan_text(plan: Plan, *, format: Format) -> str:
    """The plan as a plan file: YAML, or JSON (days as YYYY-MM-DD text, as JSON plan files
    write them); either reads back with ``hoshin import``."""
    if format == "json":
        data = plan_to_data(plan)
        return json.dumps(data, ensure_ascii=False, indent=2, default=date.isoformat) + "\n"
    return dump_plan(plan)


def plan_bytes(plan: Plan, analysis: Analysis | None, *, format: Format, as_of: date) -> bytes:
    """The plan in ``format``; the workbook and the CSV files carry ``analysis``'s numbers as
    of ``as_of`` (it must be given for them)."""
    if format in ANALYSED:
        if analysis is None:
            raise ValueError(f"a {format} export needs the plan's analysis")
        if format == "xlsx":
            return workbook_bytes(plan, analysis, as_of=as_of)
        return csv_zip_bytes(plan, analysis, as_of=as_of)
    return plan_text(plan, format=format).encode("utf-8")


def organization_plan(session: Session, *, slug: str) -> Plan:
    """The organisation's stored plan (NotFound without the organisation), for an export
    that needs no analysis."""
    return load_plan(session, org=org_store.get_organization(session, slug=slug))


def file_plan(path: Path) -> Plan:
    """The plan in a plan file or workbook; InvalidInput listing every problem."""
    try:
        return read_plan(path)
    except PlanFileError as error:
        raise InvalidInput(
            f"{path}: {len(error.problems)} problem(s)", detail=error.problems
        ) from None
