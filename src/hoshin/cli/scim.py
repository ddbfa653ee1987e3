"""`hoshin scim`: the bearer tokens an organisation's directory (Entra ID, Okta, ...)
provisions its users and groups with, at {base_url}/scim/v2."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from hoshin.cli.app import ORIGIN, app, operator
from hoshin.config import settings
from hoshin.runtime.sessions import one_session
from hoshin.service import scim_directory
from hoshin.service.webhook import organization

scim_app = typer.Typer(
    help="SCIM provisioning: the tokens of an organisation's directory.", no_args_is_help=True
)
app.add_typer(scim_app, name="scim")

OrgOption = Annotated[str, typer.Option("--org", help="The organisation's slug.")]


@scim_app.command("token")
def token_create(
    org: OrgOption,
    name: Annotated[str, typer.Option("--name", help="Which directory uses it: entra, okta.")] = "",
) -> None:
    """Create a SCIM token for the organisation's directory and print it, this once."""
    with one_session(settings().database_url) as session:
        row, token = scim_directory.create_token(
            session, org=organization(session, slug=org), name=name, now=datetime.now(UTC),
            actor=operator(), origin=ORIGIN,
        )  # fmt: skip
        session.commit()
    typer.echo(token)
    # On stderr, so that TOKEN=$(hoshin scim token ...) captures the token alone.
    base = settings().base_url.rstrip("/") + "/scim/v2"
    typer.echo(
        f"SCIM token {row.id} of {org}: give the directory the base URL {base} and this "
        "token; it will not be shown again",
        err=True,
    )


@scim_app.command("tokens")
def token_list(org: OrgOption) -> None:
    """List the organisation's SCIM tokens (never the tokens themselves)."""
    with one_session(settings().database_url, writing=False) as session:
        rows = scim_directory.list_tokens(session, org=organization(session, slug=org))
    if not rows:
        typer.echo(f"{org} has no SCIM tokens")
    for row in rows:
        used = f"used {_when(row.last_used_at)}" if row.last_used_at else "never used"
        state = f"revoked {_when(row.revoked_at)}" if row.revoked_at else "active"
        typer.echo(f"{row.id}\t{row.name or '-'}\tcreated {_when(row.created_at)}\t{used}\t{state}")


@scim_app.command("revoke")
def token_revoke(
    org: OrgOption,
    token_id: Annotated[int, typer.Argument(help="The token's id (hoshin scim tokens).")],
) -> None:
    """Revoke one of the organisation's SCIM tokens: its directory is refused from now on."""
    with one_session(settings().database_url) as session:
        scim_directory.revoke_token(
            session, org=organization(session, slug=org), token_id=token_id,
            now=datetime.now(UTC), actor=operator(), origin=ORIGIN,
        )  # fmt: skip
        session.commit()
    typer.echo(f"revoked SCIM token {token_id} of {org}")


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
