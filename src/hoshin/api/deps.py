"""What every route needs: a session committed at the end of the request, who is asking,
and the organisation they may see."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any

import pydantic_core
from fastapi import Depends, Header, Path, Query, Request, Response
from pydantic import AfterValidator, BeforeValidator

from hoshin.domain.months import in_calendar
from hoshin.errors import InvalidInput, Unauthorized
from hoshin.fields import iso_day
from hoshin.guard.client import origin_of
from hoshin.runtime import one_thread
from hoshin.runtime.group_commit import CheckedInBy
from hoshin.runtime.lookups import Lookups
from hoshin.runtime.one_thread import Later
from hoshin.runtime.sessions import (
    READS,
    Session,
    end_reading,
    in_own_transaction,
    read_first,
)
from hoshin.service import account, asker
from hoshin.service.account import SESSION_COOKIE, Principal
from hoshin.service.analysis import Analysed, AnalysisCache
from hoshin.service.asker import (
    Asker,
    Credentials,
    NotAMember,
    find_asker,
    identify,
)


def now() -> datetime:
    """The time of this request (the boundary passes the clock in)."""
    return datetime.now(UTC)


# scope="function": the session ends before the answer is sent. With FastAPI's default
# ("request") it would end after it, and a client following a redirect or reading what it
# just wrote could arrive before the commit (read-your-writes would fail).
Db = Annotated[Session, Depends(one_thread.request_session, scope="function")]


def principal(
    request: Request, session: Db, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    """The signed-in user: an API token (Authorization: Bearer) or the session cookie."""
    moment = now()
    found = identify(
        session, credentials=credentials_of(request, authorization), now=moment,
        claim=_token_uses(request).claim,
    )  # fmt: skip
    due = _noted_if_read(request, found.token_due, moment)
    if due is not None:  # this request's own transaction writes
        account.note_token_use(session, token=due, now=moment)
    return found.principal


def credentials_of(request: Request, authorization: str | None) -> Credentials:
    """What the request shows to say who it is: an API token, else the session cookie."""
    if authorization is None:
        return Credentials(None, request.cookies.get(SESSION_COOKIE), origin_of(request))
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Authorization must be 'Bearer <token>'")
    return Credentials(token, None, origin_of(request))


def _noted_if_read(request: Request, due: str | None, moment: datetime) -> str | None:
    """The token use for this request's own transaction to note, if any: a read notes it
    here, in a transaction of its own, so that a request that only reads never writes (a
    minute's last-use is not worth failing a read for)."""
    if due is None or request.method not in READS:
        return due
    in_own_transaction(
        request.app.state.sessions,
        functools.partial(account.note_token_use, token=due, now=moment),
    )
    return None


def _token_uses(request: Request) -> account.TokenUses:
    uses: account.TokenUses = request.app.state.token_uses
    return uses


Me = Annotated[Principal, Depends(principal)]


OrgSlug = Annotated[str, Path(description="The organisation's slug.")]


async def access(
    request: Request,
    session: Db,
    org: OrgSlug,
    authorization: Annotated[str | None, Header()] = None,
) -> Later:
    """The organisation in the path, if the asker is a member; 404 otherwise (no leaks).
    Found in the route's thread, before the route runs (runtime.one_thread: one thread
    hand-off for the request instead of one more for this)."""
    return Later(functools.partial(_access, request, session, org, authorization), session)


def _access(request: Request, session: Session, org: str, authorization: str | None) -> Asker:
    """access's answer. A request that writes finds the asker in a reader transaction
    first, so that on SQLite only the route's own work waits for the writers' turn
    (runtime.turns)."""
    writing = request.method not in READS
    if writing:
        read_first(session)
    moment = now()
    try:
        found, due = find_asker(
            session, credentials=credentials_of(request, authorization), slug=org, now=moment,
            claim=_token_uses(request).claim,
        )  # fmt: skip
    except NotAMember as error:  # a token's use is noted even when the answer is 404
        _noted_if_read(request, error.identified.token_due, moment)
        raise
    if writing:
        end_reading(session)
    due = _noted_if_read(request, due, moment)
    if due is not None:
        account.note_token_use(session, token=due, now=moment)
    return found


def checked_in_by(request: Request, org: str, authorization: str | None) -> CheckedInBy:
    """How the process's writer of check-ins (runtime.group_commit) finds who records one,
    on its own session and in its transaction: access's answer, for a check-in."""
    return functools.partial(
        asker.checked_in_by, credentials=credentials_of(request, authorization), slug=org,
        now=now(), claim=_token_uses(request).claim,
    )  # fmt: skip


Org = Annotated[Asker, Depends(access)]


async def read_access(request: Request, org: str, authorization: str | None) -> Asker:
    """access's answer for a hot read, found by the process's lookup thread while the read
    waits in the event loop (runtime.lookups): no thread of its own."""
    lookups: Lookups = request.app.state.lookups
    # The address too: the Asker found carries it, and lookups of one key share it.
    key = (org, authorization, request.cookies.get(SESSION_COOKIE), origin_of(request))
    found: Asker = await lookups.find(
        key, functools.partial(_read_access, request, org, authorization)
    )
    return found


def _read_access(request: Request, org: str, authorization: str | None, session: Session) -> Asker:
    return _access(request, session, org, authorization)


Authorization = Annotated[str | None, Header()]


async def kept_analysis(
    request: Request, org: str, authorization: str | None, as_of: date
) -> Analysed:
    """For a hot read: the organisation's analysis at ``as_of``, if the asker is a member
    (read_access). The kept one when it is current (no thread, no session); else brought up
    to date in one thread hand-off, on a session of its own (it reads what changed since,
    or the whole plan)."""
    found = await read_access(request, org, authorization)
    cache: AnalysisCache = request.app.state.analyses
    analysed = cache.current(found.org, as_of)
    if analysed is None:  # a session only now: most hot reads need none
        analysed = await one_thread.in_own_session(
            request.app.state.sessions,
            functools.partial(cache.get, org=found.org, as_of=as_of, fresh_row=True),
        )
    return analysed


async def analyses(request: Request) -> AnalysisCache:  # async: no thread for this
    """This process's analysis cache."""
    cache: AnalysisCache = request.app.state.analyses
    return cache


Analyses = Annotated[AnalysisCache, Depends(analyses)]


def encoded(content: Any) -> bytes:
    """``content`` in JSON as FastAPI encodes a route's ``dict[str, Any]`` (pydantic-core)."""
    return pydantic_core.to_json(content)


def json_answer(body: bytes, headers: Mapping[str, str] | None = None) -> Response:
    """A hot read's answer, its JSON ``body`` encoded by the route (``encoded``): the bytes
    and headers FastAPI would send for the dict, without FastAPI checking the dict against
    the route's response model and encoding it again, nor a Response parameter for the ETag
    (a tenth of an objective read's CPU under bench-server's load)."""
    return Response(body, media_type="application/json", headers=headers)


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
