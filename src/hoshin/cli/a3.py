"""``hoshin report a3``: the A3 report of an objective, from a plan file or an organisation."""

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
from hoshin.errors import InvalidInput
from hoshin.runtime.sessions import one_session
from hoshin.service.document import a3


@report_app.command("a3")
def a3_report(
    source: Annotated[
        list[str],
        typer.Argument(help="OBJECTIVE with --org, or PLAN.yaml OBJECTIVE.", show_default=False),
    ],
    output: OutputOption,
    org: OrgOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Writes the A3 report of an objective (one A3 landscape page, PDF): background,
    current condition, target, countermeasures, action plan and follow-up."""
    if len(source) not in (1, 2):
        raise InvalidInput("give OBJECTIVE (with --org) or PLAN.yaml OBJECTIVE")
    file, key = (Path(source[0]), source[1]) if len(source) == 2 else (None, source[0])
    if file is None and org is not None:
        day = parse_day(as_of, "--as-of")
        # An organisation's A3 names its unit's next scheduled review: it needs the session.
        with one_session(settings().database_url, writing=False) as session:
            body = a3.stored_a3(session, slug=org, key=key, as_of=day)
    else:
        found = plan_source(file, org, as_of)
        body = a3.a3_pdf(found.plan, found.analysis, key)
    write_file(output, body)
