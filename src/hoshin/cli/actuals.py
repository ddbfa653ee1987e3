"""``hoshin actuals import``: many check-ins at once from a spreadsheet (.xlsx or .csv). The
operator acts as the organisation's admin, as the other commands on an organisation do."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hoshin.cli.app import ORIGIN, app, operator
from hoshin.config import settings
from hoshin.domain.figures import exact
from hoshin.errors import InvalidInput
from hoshin.runtime.sessions import one_session
from hoshin.service import actuals_import
from hoshin.service.actuals_import import Imported, Importer, RowsRefused
from hoshin.service.asker import Who
from hoshin.service.policy import ADMIN
from hoshin.service.webhook import organization

actuals_app = typer.Typer(
    help="Actuals: many check-ins at once from a spreadsheet.", no_args_is_help=True
)
app.add_typer(actuals_app, name="actuals")

SHOWN = 20  # changes listed in the table; the summary counts them all


@actuals_app.command("import")
def import_actuals(
    file: Annotated[
        Path,
        typer.Argument(
            help="A .xlsx or .csv file whose first row names the columns metric, month, value "
            "(and optionally note)."
        ),
    ],
    org: Annotated[str, typer.Option("--org", help="The organisation's slug.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and show the changes; save none.")
    ] = False,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct", help="Replace a month's stored value that differs (a correction)."
        ),
    ] = False,
) -> None:
    """Record many check-ins from a spreadsheet: every row is checked first, and nothing is
    saved while any row is wrong (each problem as FILE:ROW: column: problem; exit 2)."""
    try:
        body = file.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read {file}: {error.strerror}") from None
    try:
        with one_session(settings().database_url) as session:
            found = organization(session, slug=org)
            imported = actuals_import.import_file(
                session, by=Importer(found, ADMIN, None, Who(operator(), None, ORIGIN)),
                name=file.name, body=body, correct=correct, dry_run=dry_run,
                now=datetime.now(UTC),
            )  # fmt: skip
            if not dry_run:
                session.commit()
    except RowsRefused as refused:  # each problem on its own line, as hoshin check prints them
        raise InvalidInput(refused.message, refused.lines()) from None
    _show(imported)
    typer.echo(imported.summary(org))


def _show(imported: Imported) -> None:
    """A table of the first SHOWN actuals written (or that would be): new and corrected."""
    written = [change for change in imported.changes if change.kind != "unchanged"]
    if not written:
        return
    table = Table("row", "metric", "month", "stored", "new", "kind", box=None)
    for change in written[:SHOWN]:
        before = exact(change.before)
        table.add_row(
            str(change.row), change.metric, str(change.month), before, exact(change.after),
            change.kind,
        )  # fmt: skip
    Console(highlight=False, soft_wrap=True).print(table)
    if len(written) > SHOWN:
        typer.echo(f"... and {len(written) - SHOWN:,} more")
