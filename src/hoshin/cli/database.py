"""Commands on the database: migrations, organisations, importing and exporting plans."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from hoshin.cli import documents
from hoshin.cli.app import ORIGIN, app, operator, today
from hoshin.config import settings
from hoshin.errors import InvalidInput
from hoshin.runtime.sessions import one_session, upgrade_database
from hoshin.service import export as export_service
from hoshin.service import organization as org_service
from hoshin.service.setup import setup_demo

db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
org_app = typer.Typer(help="Organisations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")

OrgOption = Annotated[str, typer.Option("--org", help="The organisation's slug.")]


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database (HOSHIN_DATABASE_URL) to the newest schema."""
    before, after = upgrade_database(settings().database_url)
    if before == after:
        typer.echo(f"the database is current (migration {after})")
    else:
        typer.echo(f"migrated the database from {before or 'empty'} to {after}")


@org_app.command("create")
def org_create(
    slug: Annotated[str, typer.Argument(help="Short name used in URLs and commands: acme.")],
    name: Annotated[str, typer.Argument(help="The organisation's full name.")],
) -> None:
    """Create an organisation with an empty plan."""
    with one_session(settings().database_url) as session:
        org_service.create_organization(
            session, slug=slug, name=name, actor=operator(), origin=ORIGIN
        )
        session.commit()
    typer.echo(f"created organisation {slug}: import a plan with `hoshin import FILE --org {slug}`")


@org_app.command("list")
def org_list() -> None:
    """List the organisations."""
    with one_session(settings().database_url, writing=False) as session:
        for org in org_service.list_organizations(session):
            typer.echo(f"{org.slug}\t{org.name}")


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="The plan file to import (YAML, JSON or an exported workbook).")
    ],
    org: OrgOption,
) -> None:
    """Replace an organisation's plan with a plan file: all or nothing."""
    with one_session(settings().database_url) as session:
        plan = org_service.import_plan(
            session, slug=org, path=file, actor=operator(), origin=ORIGIN
        )
        session.commit()
    typer.echo(
        f"imported {file} into {org}: {len(plan.objectives)} objectives, "
        f"{len(plan.metrics())} metrics, {len(plan.actions)} actions"
    )


@app.command("export")
def export(
    file: Annotated[
        Path | None, typer.Argument(help="A plan file (or workbook) to export, instead of --org.")
    ] = None,
    org: documents.OrgOption = None,
    format: Annotated[
        str, typer.Option("--format", help="yaml, json, xlsx (Excel) or csv (a zip of CSV files).")
    ] = "yaml",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write it (default: print).")
    ] = None,
    as_of: documents.AsOfOption = None,
) -> None:
    """Export a plan (an organisation's or a file's) as a plan file, an Excel workbook or CSV."""
    if format not in export_service.FORMATS:
        raise InvalidInput(
            f"--format {format!r}: choose one of {', '.join(export_service.FORMATS)}"
        )
    kind: export_service.Format = format  # narrowed by the check above
    if kind in export_service.ANALYSED:
        if output is None:
            raise InvalidInput(f"--format {kind} writes a file: give it with -o FILE")
        found = documents.plan_source(file, org, as_of)
        day = found.analysis.as_of
        documents.write_file(
            output, export_service.plan_bytes(found.plan, found.analysis, format=kind, as_of=day)
        )
        return
    if (file is None) == (org is None):
        raise InvalidInput("give a plan file or --org SLUG (one of them)")
    if file is not None:
        plan = export_service.file_plan(file)
    else:
        with one_session(settings().database_url, writing=False) as session:
            plan = export_service.organization_plan(session, slug=str(org))
    text = export_service.plan_text(plan, format=kind)
    if output is None:
        sys.stdout.write(text)
    else:
        documents.write_file(output, text.encode("utf-8"))


@app.command()
def setup(
    demo: Annotated[bool, typer.Option(help="Load the demo plan as organisation 'demo'.")] = False,
) -> None:
    """Migrate the database; with --demo, load the demo plan and create its admin."""
    url = settings().database_url
    before, after = upgrade_database(url)
    if before != after:
        typer.echo(f"migrated the database from {before or 'empty'} to {after}")
    if not demo:
        return
    with one_session(url) as session:
        done = setup_demo(session, today=today(), actor=operator(), origin=ORIGIN)
        session.commit()
    typer.echo(f"loaded the demo plan into organisation '{done.slug}'")
    if done.password is not None:
        typer.echo(f"sign in as {done.email} with password {done.password} (shown only now)")
    else:
        typer.echo(f"sign in as {done.email} (its password was shown when it was created)")
