"""Commands on the database: migrations, organisations, importing and exporting plans."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from hoshin.cli.app import ORIGIN, app, operator, today
from hoshin.config import settings
from hoshin.runtime.sessions import one_session, upgrade_database
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
    with one_session(settings().database_url) as session:
        for org in org_service.list_organizations(session):
            typer.echo(f"{org.slug}\t{org.name}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The plan file to import (YAML or JSON).")],
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
def export(org: OrgOption) -> None:
    """Print an organisation's plan as a plan file, with every actual and action."""
    with one_session(settings().database_url) as session:
        text = org_service.export_plan(session, slug=org)
    sys.stdout.write(text)


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
