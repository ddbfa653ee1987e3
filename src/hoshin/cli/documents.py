"""``hoshin report ...``: the PDF documents, from a plan file or an organisation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hoshin.cli.app import app
from hoshin.errors import InvalidInput

report_app = typer.Typer(
    help="PDF documents: the A3 report, the review pack, the X-matrix, the strategy on a page.",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")

OutputOption = Annotated[Path, typer.Option("--output", "-o", help="Where to write the file.")]


def write_file(path: Path, body: bytes) -> None:
    """Writes ``body`` to ``path``; InvalidInput naming the path when it cannot be written."""
    try:
        path.write_bytes(body)
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror}") from None
    typer.echo(f"wrote {path} ({len(body):,} bytes)")
