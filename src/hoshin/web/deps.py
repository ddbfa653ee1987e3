"""What every page needs: a database session, the signed-in person, the organisation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Query, Request

from hoshin.domain.months import in_calendar
from hoshin.domain.text import nested_problems
from hoshin.errors import Forbidden, HoshinError, InvalidInput
from hoshin.fields import iso_day
from hoshin.guard.client import origin_of
from hoshin.guard.csrf import SAML_ANSWER
from hoshin.runtime.sessions import Session, request_session
from hoshin.service import account, inbox, sso, sso_requests
from hoshin.service.account import SESSION_COOKIE, Principal
from hoshin.service.analysis import Analysed, AnalysisCache
from hoshin.service.asker import Asker, Who
from hoshin.service.organization import OrganizationRow, membership, organizations_of
from hoshin.service.sso_addresses import start_path
from hoshin.service.versioned import Change


class NotSignedIn(HoshinError):
    """The page needs a signed-in user: the answer is the sign-in page."""


async def refuse_hostile_form(request: Request) -> None:
    """A posted form whose text no field takes (a control character, a value longer than any
    field) is invalid input, each field named; the path and query were checked at the door
    (hoshin.guard.limits), and each form applies its fields' tighter rules in place."""
    if request.method != "POST" or SAML_ANSWER.fullmatch(request.url.path):
        return  # an IdP's answer is base64 longer than any field: web.sso_saml limits it
    form = await request.form()  # parsed once: the route's Form parameters reuse it
    values = {name: form.getlist(name) for name in form}
    texts = {name: [v for v in items if isinstance(v, str)] for name, items in values.items()}
    problems = nested_problems(texts, "form")
    if problems:
        where, why = problems[0]
        raise InvalidInput(f"{where.removeprefix('form.').split('[')[0]}: {why}")


def now() -> datetime:
    """The time of this request (the boundary passes the clock in)."""
    return datetime.now(UTC)


def database(request: Request) -> Iterator[Session]:
    """A session for this request, committed when the page is made (runtime.sessions)."""
    yield from request_session(request.app.state.sessions, request.method)


# scope="function": the transaction commits before the answer is sent. With FastAPI's default
# ("request") the commit would run after it, and a client following a redirect or reading
# what it just wrote could arrive before the commit (read-your-writes would fail).
Db = Annotated[Session, Depends(database, scope="function")]


def viewer(request: Request, session: Db) -> Principal:
    """The signed-in user (session cookie); NotSignedIn otherwise."""
    secret = request.cookies.get(SESSION_COOKIE)
    found = None if not secret else account.session_principal(session, secret=secret, now=now())
    if found is None:
        raise NotSignedIn("sign in first")
    return found


Viewer = Annotated[Principal, Depends(viewer)]


def as_of_day(as_of: Annotated[str | None, Query(max_length=10)] = None) -> date:
    """The day the page shows the plan as of (``?as_of=YYYY-MM-DD``; default today, UTC)."""
    if not as_of:
        return now().date()
    try:
        return in_calendar(date.fromisoformat(str(iso_day(as_of))))
    except ValueError as error:
        raise InvalidInput(f"as_of: {error}") from None


AsOf = Annotated[date, Depends(as_of_day)]


@dataclass(frozen=True, slots=True)
class Here:
    """Where a page is: who asks in which organisation, their organisations, and the day."""

    asker: Asker
    organizations: list[OrganizationRow]
    as_of: date
    cache: AnalysisCache
    unread: int | None = None  # the bell's number; None for a user linked to no person

    @property
    def org(self) -> OrganizationRow:
        """The organisation of the page."""
        return self.asker.org

    @property
    def role(self) -> str:
        """The asker's role in it."""
        return self.asker.role

    @property
    def me(self) -> Principal:
        """The signed-in user."""
        return self.asker.principal

    @property
    def origin(self) -> str:
        """Where the request came from (guard.client.origin_of)."""
        return self.asker.origin

    @property
    def who(self) -> Who:
        """Who asks, and from where, for the audit trail."""
        return self.asker.who

    def analysed(self, session: Session) -> Analysed:
        """The organisation's plan and analysis as of the page's day."""
        return self.cache.get(session, org=self.org, as_of=self.as_of)

    def analysis_stale(self) -> bool:
        """Whether the analysis pages show is being brought up to date after a change."""
        return self.cache.stale(self.org, self.as_of)

    def change(self, version: str = "") -> Change:
        """The change the asker makes, at the version the form was read at (If-Match; none
        for a new entity or a change that needs no version)."""
        return Change(self.org, self.who, int(version) if version.isdigit() else None)

    def query(self) -> str:
        """``?as_of=...`` when the page was asked for a day other than today."""
        return "" if self.as_of == now().date() else f"?as_of={self.as_of.isoformat()}"


def here(request: Request, session: Db, me: Viewer, org: str, as_of: AsOf) -> Here:
    """The organisation in the path, if the asker is a member (else not found)."""
    row, role = membership(session, slug=org, user_id=me.user_id)
    try:
        account.check_sign_in_method(me, row, role)
    except Forbidden as refused:  # the error page offers the provider's sign-in, back here
        found = sso.provider_for(session, slug=row.slug)
        if found is None:
            raise
        label = found[1].label or row.name
        href = start_path(row.slug, found[1].protocol, sso_requests.safe_next(request.url.path))
        raise Forbidden(refused.message, {"sign_in": {"label": label, "href": href}}) from None
    cache: AnalysisCache = request.app.state.analyses
    mine = organizations_of(session, user_id=me.user_id)
    # The bell on every page: one indexed query, none for a user linked to no person.
    unread = None if me.person is None else inbox.unread_count(session, org=row, person=me.person)
    return Here(Asker(row, role, me, origin_of(request)), mine, as_of, cache, unread)


Place = Annotated[Here, Depends(here)]
