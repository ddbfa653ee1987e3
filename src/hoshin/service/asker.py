"""Who asks: the credentials a request or command shows, the user they name (account's
Principal), and that user acting in one organisation (Asker), the one type the API, the
pages and the check-in writer pass to the use cases. Who is what the audit trail keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from hoshin.errors import NotFound, Unauthorized
from hoshin.service import account
from hoshin.service.account import Principal
from hoshin.service.organization import membership
from hoshin.store.organization import OrganizationRow, no_organization


@dataclass(frozen=True, slots=True)
class Who:
    """Who makes a change, and from where, for the audit trail."""

    actor: str  # a user's email, or "cli:<os user>"
    user_id: int | None = None
    origin: str | None = None  # the client's address, or "cli"


@dataclass(frozen=True, slots=True)
class Asker:
    """A user acting in an organisation: their role and plan person there, and where the
    request came from."""

    org: OrganizationRow
    role: str
    principal: Principal
    origin: str  # the client's address (guard.client.origin_of)

    @property
    def person(self) -> str | None:
        """The plan person the user is, if any."""
        return self.principal.person

    @property
    def email(self) -> str:
        """The user's email."""
        return self.principal.email

    @property
    def user_id(self) -> int:
        """The user's account id."""
        return self.principal.user_id

    @property
    def label(self) -> str:
        """The name people know them by."""
        return self.principal.name or self.principal.email

    @property
    def who(self) -> Who:
        """Who asks, and from where, for the audit trail."""
        return Who(self.principal.email, self.principal.user_id, self.origin)


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a request shows to say who it is: an API token (``Authorization: Bearer``) or
    the secret of a sign-in session's cookie, and where it came from."""

    token: str | None
    cookie: str | None
    origin: str


# Whether this process notes a token's use now (account.TokenUses.claim): once a minute.
Claim = Callable[[str, datetime], bool]


@dataclass(frozen=True, slots=True)
class Identified:
    """The user that credentials name; the token whose use is due to be noted, if any; and,
    when asked with an organisation and a token, the organisation and the user's role in it
    (found in the same query)."""

    principal: Principal
    token_due: str | None
    member: tuple[OrganizationRow, str] | None = None


def identify(
    session: Session,
    *,
    credentials: Credentials,
    now: datetime,
    claim: Claim,
    slug: str | None = None,
) -> Identified:
    """The signed-in user; Unauthorized for missing, unknown or revoked credentials. A
    token's use is due once a minute and only to the process that claims it."""
    token = credentials.token
    if token is not None:
        if slug is None:
            by_token = account.token_user(session, token=token, now=now)
            member = None
        else:
            with_member = account.token_member(session, token=token, slug=slug, now=now)
            by_token = None if with_member is None else with_member[:2]
            member = None if with_member is None else with_member[2]
        if by_token is None:
            raise Unauthorized("the API token is unknown or revoked")
        due = token if by_token[1] and claim(token, now) else None  # noted even on a 404
        if slug is not None and member is None:
            raise NotAMember(no_organization(slug), Identified(by_token[0], due))
        return Identified(by_token[0], due, member)
    if credentials.cookie:
        found = account.session_principal(session, secret=credentials.cookie, now=now)
        if found is not None:
            return Identified(found, None)
    raise Unauthorized("sign in first (POST /api/v1/session) or send an API token")


class NotAMember(NotFound):
    """The organisation does not exist or the user is not a member (one answer: no leaks);
    ``identified`` still carries a token use to note."""

    def __init__(self, message: str, identified: Identified) -> None:
        super().__init__(message)
        self.identified = identified


def find_asker(
    session: Session, *, credentials: Credentials, slug: str, now: datetime, claim: Claim
) -> tuple[Asker, str | None]:
    """The asker in the organisation ``slug`` (NotFound unless they are a member) and the
    token whose use is due to be noted, if any. With an API token, the user, the
    organisation and the role come from one query."""
    found = identify(session, credentials=credentials, now=now, claim=claim, slug=slug)
    row, role = found.member or membership(session, slug=slug, user_id=found.principal.user_id)
    account.check_sign_in_method(found.principal, row, role)
    return Asker(row, role, found.principal, credentials.origin), found.token_due


def checked_in_by(
    session: Session, *, credentials: Credentials, slug: str, now: datetime, claim: Claim
) -> Asker:
    """Who records a check-in, found on the session of the writer that checks and writes it
    (runtime.group_commit), in its transaction, which also notes a token's use when due."""
    asker, due = find_asker(session, credentials=credentials, slug=slug, now=now, claim=claim)
    if due is not None:
        account.note_token_use(session, token=due, now=now)
    return asker
