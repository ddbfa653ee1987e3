"""``hoshin report review`` and ``hoshin report summary``: the monthly review pack of a unit
(from an organisation: reviews live in the database) and the strategy on a page (from a
plan file or an organisation)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hoshin.cli.app import parse_day
from hoshin.cli.documents import (
    AsOfOption,
    OrgOption,
    OutputOption,
    plan_source,
    report_app,
    write_file,
)
from hoshin.config import settings
from hoshin.fields import period_of
from hoshin.runtime.sessions import one_session
from hoshin.service.document.review_pack import review_pack_of
from hoshin.service.document.summary import strategy_on_a_page


@report_app.command("review")
def review_report(
    org: Annotated[str, typer.Option("--org", help="The organisation's slug.")],
    unit: Annotated[str, typer.Option("--unit", help="The unit's id (and the units below it).")],
    month: Annotated[str, typer.Option("--month", help="The month reviewed, YYYY-MM.")],
    output: OutputOption,
    as_of: AsOfOption = None,
) -> None:
    """Writes the monthly review pack of a unit (A4 PDF): contents with page numbers, every
    red and amber metric with its bowling chart and countermeasures, late actions, and the
    decisions and minutes once the review is recorded."""
    period = period_of(month, "--month")
    day = parse_day(as_of, "--as-of")
    with one_session(settings().database_url, writing=False) as session:
        body = review_pack_of(session, slug=org, unit=unit, period=period, as_of=day)
    write_file(output, body)


@report_app.command("summary")
def summary_report(
    output: OutputOption,
    plan: Annotated[
        Path | None, typer.Argument(help="The plan file (or --org).", show_default=False)
    ] = None,
    org: OrgOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Writes the strategy on a page (one A3 landscape PDF page): the vision, each
    breakthrough objective with status, progress and trend, its annual objectives, and the
    findings that need attention."""
    found = plan_source(plan, org, as_of)
    write_file(output, strategy_on_a_page(found.plan, found.analysis))
