"""``hoshin report xmatrix``: the X-matrix on one A3 landscape page, from a plan file or an
organisation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hoshin.cli.documents import (
    AsOfOption,
    OrgOption,
    OutputOption,
    plan_source,
    report_app,
    write_file,
)
from hoshin.service.document.xmatrix import xmatrix_pdf


@report_app.command("xmatrix")
def xmatrix_report(
    output: OutputOption,
    file: Annotated[
        Path | None,
        typer.Argument(help="The plan file (YAML, or JSON ending in .json); or give --org."),
    ] = None,
    org: OrgOption = None,
    breakthrough: Annotated[
        str | None,
        typer.Option("--breakthrough", help="Only this breakthrough objective's part (its id)."),
    ] = None,
    as_of: AsOfOption = None,
) -> None:
    """Writes the X-matrix (one A3 landscape page, PDF): breakthrough and annual objectives,
    improvement priorities, metrics with this fiscal year's targets, owners, and how strongly
    each pair relates."""
    found = plan_source(file, org, as_of)
    body = xmatrix_pdf(found, as_of=found.analysis.as_of, breakthrough=breakthrough)
    write_file(output, body)
