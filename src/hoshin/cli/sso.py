"""`hoshin sso`: an organisation's identity provider for single sign-on (OpenID Connect or
SAML), set, shown and removed from the command line. The operator acts as its admin."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from hoshin.cli.app import ORIGIN, app, operator
from hoshin.config import settings
from hoshin.errors import InvalidInput
from hoshin.runtime.sessions import one_session
from hoshin.service import sso
from hoshin.service.policy import LEAST, role_list
from hoshin.service.sso_addresses import sso_addresses
from hoshin.service.webhook import organization

sso_app = typer.Typer(
    help="Single sign-on: an organisation's identity provider (OpenID Connect or SAML).",
    no_args_is_help=True,
)
app.add_typer(sso_app, name="sso")

OrgOption = Annotated[str, typer.Option("--org", help="The organisation's slug.")]
MAPPING_LENGTH = 200  # GROUP=ROLE or GROUP=UNIT options, each


class Format(StrEnum):
    """Output of ``hoshin sso show``."""

    text = "text"
    json = "json"


@sso_app.command("set")
def sso_set(
    org: OrgOption,
    oidc_issuer: Annotated[
        str, typer.Option("--oidc-issuer", help="OpenID Connect: the issuer's URL (discovery).")
    ] = "",
    client_id: Annotated[
        str, typer.Option("--client-id", help="OpenID Connect: hoshin's client id.")
    ] = "",
    client_secret_stdin: Annotated[
        bool,
        typer.Option(
            "--client-secret-stdin",
            help="OpenID Connect: read the client secret from the first line of stdin (needed "
            "the first time; without it a later set keeps the stored secret).",
        ),
    ] = False,
    saml_metadata: Annotated[
        Path | None,
        typer.Option("--saml-metadata", help="SAML: a file with the IdP's metadata XML."),
    ] = None,
    saml_metadata_url: Annotated[
        str, typer.Option("--saml-metadata-url", help="SAML: the address of the IdP's metadata.")
    ] = "",
    label: Annotated[
        str, typer.Option("--label", help='The provider\'s name on "Sign in with <label>".')
    ] = "",
    domains: Annotated[
        list[str] | None,
        typer.Option(
            "--domain", help="An e-mail domain whose people sign in here (repeat for several)."
        ),
    ] = None,
    jit: Annotated[
        bool,
        typer.Option(
            "--jit/--no-jit", help="Make a member of anyone the provider signs in (just in time)."
        ),
    ] = False,
    jit_role: Annotated[
        str, typer.Option("--jit-role", help="The role of a just-in-time member.")
    ] = LEAST,
    group_claim: Annotated[
        str, typer.Option("--group-claim", help="The claim or attribute listing the groups.")
    ] = "",
    group_roles: Annotated[
        list[str] | None,
        typer.Option(
            "--group-role", help=f"GROUP=ROLE: the group gives this role ({role_list()})."
        ),
    ] = None,
    group_units: Annotated[
        list[str] | None,
        typer.Option("--group-unit", help="GROUP=UNIT: the group puts people in this unit (id)."),
    ] = None,
    password_sign_in: Annotated[
        bool,
        typer.Option(
            "--password-sign-in/--no-password-sign-in",
            help="Whether members may sign in with a password (admins always may: break-glass).",
        ),
    ] = True,
) -> None:
    """Set an organisation's identity provider: OpenID Connect (--oidc-issuer, --client-id,
    --client-secret-stdin) or SAML (--saml-metadata FILE or --saml-metadata-url URL).

    Each set replaces the whole settings: an option left out takes its default, except the
    client secret, which is kept when --client-secret-stdin is not given."""
    protocol = _protocol(oidc_issuer, saml_metadata, saml_metadata_url)
    if protocol == "saml" and (client_id or client_secret_stdin):
        raise InvalidInput("--client-id and --client-secret-stdin are for OpenID Connect")
    wanted = sso.SsoSettings(
        protocol=protocol, label=label, email_domains=tuple(domains or ()),
        oidc_issuer=oidc_issuer, client_id=client_id,
        client_secret=_secret() if client_secret_stdin else None,
        saml_idp_metadata="" if saml_metadata is None else _metadata(saml_metadata),
        saml_idp_metadata_url=saml_metadata_url, jit=jit, jit_role=jit_role,
        group_claim=group_claim, group_roles=_pairs(group_roles, "--group-role"),
        group_units=_pairs(group_units, "--group-unit"), password_sign_in=password_sign_in,
    )  # fmt: skip
    with one_session(settings().database_url) as session:
        found = organization(session, slug=org)
        sso.set_settings(session, org=found, settings=wanted, actor=operator(), origin=ORIGIN)
        session.commit()
    typer.echo(f"set single sign-on of {org}: {_names[protocol]}")
    for name, address in addresses(protocol, org).items():
        typer.echo(f"{name}: {address}")
    if not password_sign_in:
        typer.echo("password sign-in is off: members sign in through the provider (admins "
                   "keep their password, to get in when it is down)")  # fmt: skip


@sso_app.command("show")
def sso_show(
    org: OrgOption,
    output: Annotated[
        Format, typer.Option("--format", help="text: a table for people; json: for machines.")
    ] = Format.text,
) -> None:
    """Show an organisation's identity provider (the client secret only as set or not) and
    the addresses to give the provider."""
    with one_session(settings().database_url, writing=False) as session:
        found = organization(session, slug=org)
        view = sso.settings_view(sso.get_settings(session, org=found), found)
    view["addresses"] = addresses(view["protocol"], org)
    if output is Format.json:
        sys.stdout.write(json.dumps(view) + "\n")
        return
    table = Table("setting", "value", box=box.SIMPLE_HEAD, pad_edge=False)
    for name, value in view.items():
        if name != "addresses":
            table.add_row(name.replace("_", " "), _shown(name, value))
    for name, address in view["addresses"].items():
        table.add_row(name, address)
    Console(highlight=False, soft_wrap=True).print(table)


@sso_app.command("remove")
def sso_remove(org: OrgOption) -> None:
    """Remove an organisation's identity provider: its members sign in with passwords again."""
    with one_session(settings().database_url) as session:
        found = organization(session, slug=org)
        sso.remove_settings(session, org=found, actor=operator(), origin=ORIGIN)
        session.commit()
    typer.echo(f"removed single sign-on of {org}: members sign in with passwords")


_names = {"oidc": "OpenID Connect", "saml": "SAML"}


def addresses(protocol: str, slug: str) -> dict[str, str]:
    """The addresses of hoshin that the provider's administrator enters there."""
    known = sso_addresses(settings().base_url, slug)
    names = _ADDRESSES.get(protocol, {})
    return {name: known[key] for key, name in names.items()}


_ADDRESSES = {
    "oidc": {"oidc_redirect_uri": "redirect URI", "sign_in_url": "sign-in page"},
    "saml": {
        "saml_entity_id": "SP entity id", "saml_acs_url": "ACS URL",
        "saml_metadata_url": "SP metadata", "sign_in_url": "sign-in page",
    },
}  # fmt: skip


def _protocol(oidc_issuer: str, metadata: Path | None, metadata_url: str) -> sso.Protocol:
    saml = metadata is not None or bool(metadata_url)
    if oidc_issuer and saml:
        raise InvalidInput("give --oidc-issuer (OpenID Connect) or SAML's metadata, not both")
    if metadata is not None and metadata_url:
        raise InvalidInput("give --saml-metadata FILE or --saml-metadata-url URL, not both")
    if not oidc_issuer and not saml:
        raise InvalidInput(
            "give --oidc-issuer URL (OpenID Connect) or --saml-metadata FILE or "
            "--saml-metadata-url URL (SAML)"
        )
    return "oidc" if oidc_issuer else "saml"


def _secret() -> str:
    """The client secret: stdin's first line (never an argument, which shell history keeps)."""
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret.strip():
        raise InvalidInput("--client-secret-stdin: the first line of stdin is empty")
    return secret


def _metadata(path: Path) -> str:
    """The IdP's metadata file as text, read no further than the longest accepted."""
    try:
        with path.open("rb") as file:
            data = file.read(sso.METADATA_LENGTH + 1)
    except FileNotFoundError:
        raise InvalidInput(f"--saml-metadata: no file '{path}'") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidInput(f"--saml-metadata: cannot read '{path}': {reason}") from None
    if len(data) > sso.METADATA_LENGTH:
        raise InvalidInput(f"--saml-metadata: '{path}' is longer than {sso.METADATA_LENGTH} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"--saml-metadata: '{path}' is not UTF-8 text") from None


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    """GROUP=VALUE options as a map; InvalidInput names the option of a malformed one."""
    pairs: dict[str, str] = {}
    for text in values or ():
        # The last "=": a group may be a directory name with its own (CN=Sales,OU=...).
        group, equals, value = text.rpartition("=")
        if not equals or not group.strip() or not value.strip() or len(text) > MAPPING_LENGTH:
            raise InvalidInput(f"{option}: '{text[:100]}' is not GROUP=VALUE")
        pairs[group.strip()] = value.strip()
    return pairs


def _shown(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return ("set" if value else "not set") if name.endswith("_set") else str(value).lower()
    if isinstance(value, list):
        return ", ".join(value) or "-"
    if isinstance(value, dict):
        return "\n".join(f"{key} = {item}" for key, item in value.items()) or "-"
    return str(value) or "-"
