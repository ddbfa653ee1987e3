"""Commands on an organisation's webhooks: add, list, remove, and a test call sent now. The
operator acts as the organisation's admin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from hoshin.cli.app import ORIGIN, app, operator
from hoshin.config import settings
from hoshin.domain.notices import WEBHOOK_EVENTS
from hoshin.runtime.ping import send_test
from hoshin.runtime.sessions import one_session
from hoshin.service import webhook
from hoshin.service.asker import Who
from hoshin.service.policy import ADMIN

webhook_app = typer.Typer(
    help="Outgoing webhooks: hoshin posts an organisation's events to them.",
    no_args_is_help=True,
)
app.add_typer(webhook_app, name="webhook")

OrgOption = Annotated[str, typer.Option("--org", help="The organisation's slug.")]
IdArgument = Annotated[int, typer.Argument(metavar="ID", help="The webhook's id (webhook list).")]


@webhook_app.command("add")
def webhook_add(
    org: OrgOption,
    url: Annotated[str, typer.Argument(help="Where to post: an https:// (or http://) address.")],
    events: Annotated[
        str,
        typer.Option(
            "--events",
            help="Comma-separated events to post (empty: every event): "
            f"{', '.join(WEBHOOK_EVENTS)}.",
        ),
    ] = "",
    secret: Annotated[
        str,
        typer.Option(
            "--secret",
            help="The key that signs each call (X-Hoshin-Signature); empty: a random one, printed.",
        ),
    ] = "",
    format: Annotated[
        str, typer.Option("--format", help="json (hoshin's body), slack or teams.")
    ] = "json",
) -> None:
    """Add a webhook to an organisation; prints its id (and its secret when made here)."""
    with one_session(settings().database_url) as session:
        added = webhook.add_webhook(
            session, org=webhook.organization(session, slug=org), role=ADMIN, who=_who(),
            url=url, events=[e for e in events.split(",") if e.strip()], format=format,
            secret=secret or None,
        )  # fmt: skip
        session.commit()
    hook = added.webhook
    typer.echo(f"added webhook {hook.id} of {org}: {_events(hook.events)} to {hook.url}")
    if not secret:
        typer.echo(f"secret: {added.secret}")
        typer.echo("this secret will not be shown again: give it to the receiver", err=True)


@webhook_app.command("list")
def webhook_list(org: OrgOption) -> None:
    """List an organisation's webhooks with their last delivery (never their secrets)."""
    with one_session(settings().database_url, writing=False) as session:
        hooks = webhook.list_webhooks(
            session, org=webhook.organization(session, slug=org), role=ADMIN
        )
    if not hooks:
        typer.echo(f"{org} has no webhooks")
    for hook in hooks:
        last = hook.last
        delivered = (
            "never called"
            if last is None
            else f"last {last.status} {last.code or '-'} {_when(last.created_at)}"
        )
        typer.echo(f"{hook.id}\t{hook.format}\t{_events(hook.events)}\t{hook.url}\t{delivered}")


@webhook_app.command("remove")
def webhook_remove(org: OrgOption, webhook_id: IdArgument) -> None:
    """Remove a webhook, with its queued and logged calls."""
    with one_session(settings().database_url) as session:
        gone = webhook.remove_webhook(
            session, org=webhook.organization(session, slug=org), role=ADMIN, who=_who(),
            webhook_id=webhook_id,
        )  # fmt: skip
        session.commit()
    typer.echo(f"removed webhook {gone.id} of {org} ({gone.url})")


@webhook_app.command("test")
def webhook_test(org: OrgOption, webhook_id: IdArgument) -> None:
    """Post the event webhook.test to a webhook now and print its answer's code; exits 1
    when it was not delivered."""
    config = settings()
    with one_session(config.database_url) as session:
        sent = send_test(
            session, org=webhook.organization(session, slug=org), role=ADMIN,
            webhook_id=webhook_id, now=datetime.now(UTC), config=config,
        )  # fmt: skip
        session.commit()
    code = "no answer" if sent.code is None else str(sent.code)
    if sent.status == "sent":
        typer.echo(f"delivered: {code}")
        return
    typer.echo(f"not delivered: {code}: {sent.error or 'no reason given'}", err=True)
    raise typer.Exit(code=1)


def _who() -> Who:
    return Who(operator(), None, ORIGIN)


def _events(events: tuple[str, ...]) -> str:
    return ",".join(events) if events else "every event"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")
