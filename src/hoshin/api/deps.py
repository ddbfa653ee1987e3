"""What every route needs: a session committed at the end of the request, who is asking,
and the organisation they may see."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, NoReturn

from fastapi import Depends, Header, Path, Query, Request
from pydantic import AfterValidator, BeforeValidator
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from hoshin.api.errors import Unauthorized
from hoshin.domain.months import in_calendar
from hoshin.errors import Forbidden, InvalidInput, NotFound
from hoshin.fields import iso_day
from hoshin.guard.client import origin_of
from hoshin.runtime import one_thread
from hoshin.runtime.group_commit import NewActuals
from hoshin.runtime.lookups import Lookups
from hoshin.runtime.one_thread import Later
from hoshin.runtime.sessions import (
    READS,
    begin_writing,
    end_reading,
    new_request_session,
    read_first,
)
from hoshin.service import account
from hoshin.service.account import SESSION_COOKIE, Principal
from hoshin.service.analysis import Analysed, AnalysisCache
from hoshin.service.metric import Recorder, Who
from hoshin.service.organization import OrganizationRow, membership

WRITERS = ("admin", "editor", "contributor")


def now() -> datetime:
    """The time of this request (the boundary passes the clock in)."""
    return datetime.now(UTC)


async def database(request: Request) -> AsyncIterator[Session]:
    """A session for this request, made in the event loop (that needs no database). The
    route's thread commits it, or rolls it back, when the route is done (runtime.one_thread);
    what is still open here (an error before the route ran) is ended in a thread."""
    session = new_request_session(request.app.state.sessions, request.method)
    try:
        yield session
    except BaseException:
        await _end(session, session.rollback)
        raise
    await _end(session, session.commit)


async def _end(session: Session, end: Callable[[], None]) -> None:
    if not session.in_transaction():
        session.close()  # no connection: nothing for the database, no thread
        return

    def end_and_close() -> None:
        with session:
            end()

    await run_in_threadpool(end_and_close)


# scope="function": the session ends before the answer is sent. With FastAPI's default
# ("request") it would end after it, and a client following a redirect or reading what it
# just wrote could arrive before the commit (read-your-writes would fail).
Db = Annotated[Session, Depends(database, scope="function")]


def principal(
    request: Request, session: Db, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    """The signed-in user: an API token (Authorization: Bearer) or the session cookie."""
    me, due, _ = _asker(request, session, authorization)
    if due is not None:  # this request's own transaction writes
        account.note_token_use(session, token=due[0], now=due[1])
    return me


Member = tuple[OrganizationRow, str]  # an organisation and the asker's role in it


def _asker(
    request: Request, session: Session, authorization: str | None, slug: str | None = None
) -> tuple[Principal, tuple[str, datetime] | None, Member | None]:
    """The signed-in user; for a request that writes, the token and moment whose use it is
    to note in its own transaction (a read notes it in one of its own, here); and with
    ``slug``, when the asker came with a token, the organisation and their role in it,
    found in the same query (NotFound unless they are a member)."""
    moment = now()
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("Authorization must be 'Bearer <token>'")
        with_member = None
        if slug is None:
            by_token = account.token_user(session, token=token, now=moment)
        else:
            with_member = account.token_member(session, token=token, slug=slug, now=moment)
            by_token = None if with_member is None else with_member[:2]
        if by_token is None:
            raise Unauthorized("the API token is unknown or revoked")
        due = _due(request, token, moment, due=by_token[1])  # noted even when the answer is 404
        member = None if with_member is None else with_member[2] or _not_a_member(str(slug))
        return by_token[0], due, member
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        found = account.session_principal(session, secret=secret, now=moment)
        if found is not None:
            return found, None, None
    raise Unauthorized("sign in first (POST /api/v1/session) or send an API token")


def _due(
    request: Request, token: str, moment: datetime, *, due: bool
) -> tuple[str, datetime] | None:
    """The token use for this request's own transaction to note, if any: a read's is noted
    here, in a transaction of its own, and another request of this process may have claimed
    it already."""
    if not due or not _token_uses(request).claim(token, moment):
        return None
    if request.method in READS:
        _note_token_use(request, token, moment)
        return None
    return token, moment


def _not_a_member(slug: str) -> NoReturn:
    raise NotFound(f"no organisation {slug[:100]!r}")


def _token_uses(request: Request) -> account.TokenUses:
    uses: account.TokenUses = request.app.state.token_uses
    return uses


def _note_token_use(request: Request, token: str, moment: datetime) -> None:
    """Notes the token's use in a transaction of its own, so that a request that only
    reads never writes (a minute's last-use is not worth failing a read for)."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    with sessions() as session:
        begin_writing(session)
        account.note_token_use(session, token=token, now=moment)
        session.commit()


Me = Annotated[Principal, Depends(principal)]


@dataclass(frozen=True, slots=True)
class Access:
    """An organisation, the asker's role in it, and where the request came from."""

    org: OrganizationRow
    role: str
    principal: Principal
    origin: str  # origin_of(request)

    @property
    def who(self) -> Who:
        """Who asks, and from where, for the audit trail."""
        return Who(self.principal.email, self.principal.user_id, self.origin)

    def require(self, *roles: str) -> None:
        """Raises Forbidden unless the role is one of ``roles``."""
        if self.role not in roles:
            raise Forbidden(f"a {self.role} of {self.org.slug} cannot do this")


OrgSlug = Annotated[str, Path(description="The organisation's slug.")]


async def access(
    request: Request,
    session: Db,
    org: OrgSlug,
    authorization: Annotated[str | None, Header()] = None,
) -> Later:
    """The organisation in the path, if the asker is a member; 404 otherwise (no leaks).
    Found in the route's thread, before the route runs (runtime.one_thread: one thread hand-off
    for the request instead of one more for this)."""
    return Later(functools.partial(_access, request, session, org, authorization), session)


def _access(request: Request, session: Session, org: str, authorization: str | None) -> Access:
    """access's answer. A request that writes finds the asker in a reader transaction
    first, so that on SQLite only the route's own work waits for the writers' turn
    (runtime.turns)."""
    writing = request.method not in READS
    if writing:
        read_first(session)
    found, due = _member(request, session, org, authorization)
    if writing:
        end_reading(session)
    if due is not None:
        account.note_token_use(session, token=due[0], now=due[1])
    return found


def recorder(request: Request, org: str, authorization: str | None, session: Session) -> Recorder:
    """Who records a check-in, found on the session of the writer that checks and writes it
    (runtime.group_commit), in its transaction: access's answer, for a check-in."""
    found, due = _member(request, session, org, authorization)
    if due is not None:
        account.note_token_use(session, token=due[0], now=due[1])
    return Recorder(found.org, found.role, found.principal.person, found.who)


def _member(
    request: Request, session: Session, org: str, authorization: str | None
) -> tuple[Access, tuple[str, datetime] | None]:
    """The asker's access to ``org`` and the token use to note, if due. With an API token,
    the asker, the organisation and their role come from one query."""
    me, due, member = _asker(request, session, authorization, org)
    row, role = member or membership(session, slug=org, user_id=me.user_id)
    return Access(row, role, me, origin_of(request)), due


Org = Annotated[Access, Depends(access)]


async def read_access(request: Request, org: str, authorization: str | None) -> Access:
    """access's answer for a hot read, found by the process's lookup thread while the read
    waits in the event loop (runtime.lookups): no thread of its own."""
    lookups: Lookups = request.app.state.lookups
    # The address too: the Access found carries it, and lookups of one key share it.
    key = (org, authorization, request.cookies.get(SESSION_COOKIE), origin_of(request))
    found: Access = await lookups.find(
        key, functools.partial(_read_access, request, org, authorization)
    )
    return found


def _read_access(request: Request, org: str, authorization: str | None, session: Session) -> Access:
    return _access(request, session, org, authorization)


Authorization = Annotated[str | None, Header()]


async def kept_analysis(
    request: Request, org: str, authorization: str | None, session: Session, as_of: date
) -> Analysed:
    """For a hot read: the organisation's analysis at ``as_of``, if the asker is a member
    (read_access). The kept one when it is current (no thread); else brought up to date in
    one thread hand-off (it reads what changed since, or the whole plan)."""
    found = await read_access(request, org, authorization)
    cache: AnalysisCache = request.app.state.analyses
    analysed = cache.current(found.org, as_of)
    if analysed is None:
        analysed = await one_thread.run(
            cache.get, session=session, org=found.org, as_of=as_of, fresh_row=True
        )
    return analysed


async def analyses(request: Request) -> AnalysisCache:  # async: no thread for this
    """This process's analysis cache."""
    cache: AnalysisCache = request.app.state.analyses
    return cache


Analyses = Annotated[AnalysisCache, Depends(analyses)]


async def new_actuals(request: Request) -> NewActuals:  # async: no thread for this
    """This process's writer of new actuals (runtime.group_commit)."""
    writer: NewActuals = request.app.state.new_actuals
    return writer


NewActualsWriter = Annotated[NewActuals, Depends(new_actuals)]


def version_of(if_match: str | None) -> int | None:
    """The version an If-Match header names: ``"3"`` or ``W/"3"``; None without the header."""
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise InvalidInput(f"If-Match: '{if_match}' is not a version this API gave (like \"3\")")
    return int(text)


def etag(version: int) -> str:
    """The ETag of an entity at ``version``."""
    return f'"{version}"'


def _as_of_in_calendar(day: date | None) -> date | None:
    return None if day is None else in_calendar(day)


AsOf = Annotated[
    date | None,
    BeforeValidator(iso_day),
    AfterValidator(_as_of_in_calendar),
    Query(description="Analyse as of this day (default: today, UTC)."),
]


def as_of_day(as_of: date | None) -> date:
    """The day to analyse as of: the one asked for, or today (UTC)."""
    return as_of or now().date()
