"""``hoshin report ...``: the PDF documents, from a plan file or an organisation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hoshin.cli.app import app, parse_day
from hoshin.config import settings
from hoshin.errors import InvalidInput
from hoshin.runtime.sessions import one_session
from hoshin.service.analysis import Analysed
from hoshin.service.document import source
from hoshin.service.plan import Checked

report_app = typer.Typer(
    help="PDF documents: the A3 report, the review pack, the X-matrix, the strategy on a page.",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")

OutputOption = Annotated[Path, typer.Option("--output", "-o", help="Where to write the file.")]
OrgOption = Annotated[
    str | None, typer.Option("--org", help="The organisation's slug (instead of a plan file).")
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="As of this date (YYYY-MM-DD; default today), as in check."),
]


def plan_source(file: Path | None, org: str | None, as_of: str | None) -> Checked | Analysed:
    """The plan and its analysis from the plan file or the organisation (exactly one of them);
    InvalidInput when both or neither are given."""
    day = parse_day(as_of, "--as-of")
    if (file is None) == (org is None):
        raise InvalidInput("give a plan file or --org SLUG (one of them)")
    if file is not None:
        return source.of_file(file, as_of=day)
    with one_session(settings().database_url, writing=False) as session:
        return source.of_organization(session, slug=str(org), as_of=day)


def write_file(path: Path, body: bytes) -> None:
    """Writes ``body`` to ``path``; InvalidInput naming the path when it cannot be written."""
    try:
        path.write_bytes(body)
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror}") from None
    typer.echo(f"wrote {path} ({len(body):,} bytes)")
