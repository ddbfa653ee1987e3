"""Commands on accounts: users and their roles, API tokens for scripts."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from hoshin.cli.app import ORIGIN, app, operator
from hoshin.config import settings
from hoshin.errors import Conflict
from hoshin.runtime.sessions import one_session
from hoshin.service import account
from hoshin.service.password import set_password
from hoshin.service.policy import role_list
from hoshin.service.user_state import set_active

user_app = typer.Typer(help="Users and their roles in organisations.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

EmailArgument = Annotated[str, typer.Argument(help="The user's email address.")]
OrgOption = Annotated[str, typer.Option("--org", help="The organisation's slug.")]
RoleOption = Annotated[str, typer.Option("--role", help=f"{role_list()}.", show_default=False)]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]
UserOption = Annotated[str, typer.Option("--user", help="The user's email address.")]


@user_app.command("add")
def user_add(
    email: EmailArgument,
    org: OrgOption,
    role: RoleOption,
    name: Annotated[str, typer.Option("--name", help="The user's full name.")] = "",
    person: Annotated[
        str | None, typer.Option("--person", help="The user's person id in the plan, if any.")
    ] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user with a role in an organisation; asks for the password."""
    password = _password("Password", from_stdin=password_stdin)
    try:
        with one_session(settings().database_url) as session:
            actor = operator()
            user = account.add_user(
                session, email=email, password=password, name=name, person=person,
                actor=actor, origin=ORIGIN,
            )  # fmt: skip
            account.set_role(
                session, email=user.email, org_slug=org, role=role, actor=actor, origin=ORIGIN
            )
            session.commit()
    except Conflict as error:
        raise Conflict(f"{error.message}: change their role with `hoshin user role`") from None
    typer.echo(f"added {user.email} as {role} of {org}")


@user_app.command("role")
def user_role(email: EmailArgument, org: OrgOption, role: RoleOption) -> None:
    """Set a user's role in an organisation (making them a member if needed)."""
    with one_session(settings().database_url) as session:
        account.set_role(
            session, email=email, org_slug=org, role=role, actor=operator(), origin=ORIGIN
        )
        session.commit()
    typer.echo(f"{account.normal_email(email)} is {role} of {org}")


@user_app.command("password")
def user_password(email: EmailArgument, password_stdin: PasswordStdin = False) -> None:
    """Set a user's new password (asked twice); their sessions and API tokens end."""
    password = _password("New password", from_stdin=password_stdin)
    with one_session(settings().database_url) as session:
        set_password(
            session, email=email, password=password, actor=operator(), origin=ORIGIN,
            now=datetime.now(UTC),
        )  # fmt: skip
        session.commit()
    typer.echo(f"changed the password of {account.normal_email(email)}; their sessions and API "
               "tokens ended")  # fmt: skip


@user_app.command("disable")
def user_disable(email: EmailArgument) -> None:
    """Disable an account: it cannot sign in, its sessions and API tokens end."""
    _set_active(email, active=False)
    typer.echo(f"disabled {account.normal_email(email)}: their sessions and API tokens ended")


@user_app.command("enable")
def user_enable(email: EmailArgument) -> None:
    """Enable a disabled account again (its revoked API tokens stay revoked)."""
    _set_active(email, active=True)
    typer.echo(f"enabled {account.normal_email(email)}")


def _set_active(email: str, *, active: bool) -> None:
    with one_session(settings().database_url) as session:
        set_active(
            session, email=email, active=active, actor=operator(), now=datetime.now(UTC),
            origin=ORIGIN,
        )  # fmt: skip
        session.commit()


@token_app.command("create")
def token_create(
    user: UserOption,
    name: Annotated[str, typer.Option("--name", help="What the token is for: ci, backup.")] = "",
) -> None:
    """Create an API token for a user and print it, this once."""
    with one_session(settings().database_url) as session:
        token = account.create_token(
            session, email=user, name=name, now=datetime.now(UTC), actor=operator(),
            origin=ORIGIN,
        )  # fmt: skip
        session.commit()
    typer.echo(token)
    # On stderr, so that TOKEN=$(hoshin token create ...) captures the token alone.
    typer.echo("this token will not be shown again: keep it somewhere safe", err=True)


@token_app.command("list")
def token_list(user: UserOption) -> None:
    """List a user's API tokens (never the tokens themselves)."""
    with one_session(settings().database_url, writing=False) as session:
        tokens = account.list_tokens(session, email=user)
    if not tokens:
        typer.echo(f"{account.normal_email(user)} has no API tokens")
    for token in tokens:
        used = f"used {_when(token.last_used_at)}" if token.last_used_at else "never used"
        state = f"revoked {_when(token.revoked_at)}" if token.revoked_at else "active"
        typer.echo(
            f"{token.id}\t{token.name or '-'}\tcreated {_when(token.created_at)}\t{used}\t{state}"
        )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (token list).")],
) -> None:
    """Revoke an API token: it stops working at once."""
    with one_session(settings().database_url) as session:
        account.revoke_token(
            session, token_id=token_id, now=datetime.now(UTC), actor=operator(), origin=ORIGIN
        )
        session.commit()
    typer.echo(f"revoked API token {token_id}")


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _password(prompt: str, *, from_stdin: bool) -> str:
    """The password: the first line of stdin, or typed twice at ``prompt``, hidden."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return password
