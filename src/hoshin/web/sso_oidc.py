"""OpenID Connect sign-in pages: the start (to the provider) and the callback (back from it).

Both are GETs (a browser follows links and redirects to and from the provider), so the
request's own session only reads; each change is written in a transaction of its own
(runtime.sessions.in_own_transaction), and none is open while the provider is called.

The state is bound to the browser that started the sign-in (RFC 6749 10.12): a cookie of
the start holds it, and the callback must come with it. Without the cookie, someone who
started a sign-in of their own could send its callback link to another person and sign
them in as the sender (login CSRF).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, TypeVar
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.config import settings
from hoshin.errors import Forbidden
from hoshin.guard.client import origin_of, set_session_cookie
from hoshin.runtime.sessions import Session, in_own_transaction
from hoshin.service import oidc
from hoshin.service.oidc import ProviderProblem
from hoshin.service.sso_requests import REQUEST_LIFETIME
from hoshin.web.deps import Db, now
from hoshin.web.sso_signin import refusal_page

router = APIRouter()
T = TypeVar("T")
STATE_COOKIE = "hoshin_oidc_state"


@router.get("/sso/{slug}/oidc/start")
def start(
    request: Request, session: Db, slug: str, next: Annotated[str, Query(max_length=500)] = ""
) -> Response:
    """Sends the browser to the organisation's provider to sign in (303), or says why it
    cannot (the provider's metadata cannot be read); 404 for an organisation without an
    OpenID Connect provider."""
    _org, provider = oidc.find_provider(session, slug=slug[:100])
    when = now()
    try:
        metadata = oidc.fresh_metadata(provider, now=when) or oidc.discover(
            provider.issuer, now=when
        )
    except ProviderProblem as problem:
        return _refused(request, provider.slug, problem.reason)
    address = _written(
        request,
        lambda s: oidc.start(
            s, slug=provider.slug, metadata=metadata, next_path=next, now=when,
            base_url=settings().base_url,
        ),
    )  # fmt: skip
    assert not isinstance(address, Forbidden)  # starting refuses nothing
    going = RedirectResponse(address, status_code=303)
    state = parse_qs(urlsplit(address).query)["state"][0]
    going.set_cookie(
        STATE_COOKIE, state, max_age=int(REQUEST_LIFETIME.total_seconds()), httponly=True,
        samesite="lax", secure=request.url.scheme == "https", path=_cookie_path(provider.slug),
    )  # fmt: skip
    return going


@router.get("/sso/{slug}/oidc/callback", response_class=HTMLResponse)
def callback(request: Request, session: Db, slug: str) -> Response:
    """Signs in the user the provider vouched for and goes where the sign-in was started
    for (or the organisation's first page); a refusal says why, audited."""
    _org, provider = oidc.find_provider(session, slug=slug[:100])
    origin, when = origin_of(request), now()
    # Some providers' codes run to a few thousand characters; nothing legitimate is longer.
    params = {k: v[:8000] for k, v in request.query_params.items()}
    answer = _written(
        request,
        lambda s: oidc.take_answer(s, slug=provider.slug, params=params, now=when, origin=origin),
    )
    if isinstance(answer, Forbidden):
        return refusal_page(request, provider.slug, answer)
    if not hmac.compare_digest(request.cookies.get(STATE_COOKIE, ""), params.get("state", "")):
        reason = "this sign-in was started in another browser, or long ago: start it again here"
        return _refused(request, provider.slug, reason)
    try:
        claims, metadata = oidc.redeem(
            provider, answer=answer, now=when, base_url=settings().base_url
        )
    except ProviderProblem as problem:
        return _refused(request, provider.slug, problem.reason)
    signed_in = _written(
        request,
        lambda s: oidc.sign_in(
            s, slug=provider.slug, claims=claims, metadata=metadata, now=when, origin=origin
        ),
    )
    if isinstance(signed_in, Forbidden):
        return refusal_page(request, provider.slug, signed_in)
    _me, secret = signed_in
    going = RedirectResponse(answer.next_path or f"/orgs/{provider.slug}/", status_code=303)
    set_session_cookie(request, going, secret)
    going.delete_cookie(STATE_COOKIE, path=_cookie_path(provider.slug))
    return going


def _cookie_path(slug: str) -> str:
    """Where the state's cookie is sent: the organisation's callback only."""
    return f"/sso/{slug}/oidc/"


def _written(request: Request, work: Callable[[Session], T]) -> T | Forbidden:
    """``work``'s result, in a writing transaction of its own that is committed even when
    it refuses (the refusal's audit event is kept): the refusal is returned, not raised."""
    outcome: list[T | Forbidden] = []

    def run(session: Session) -> None:
        try:
            outcome.append(work(session))
        except Forbidden as refusal:
            outcome.append(refusal)

    in_own_transaction(request.app.state.sessions, run)
    return outcome[0]


def _refused(request: Request, slug: str, reason: str) -> Response:
    """The page of a refusal for ``reason``, audited."""
    refusal = _written(request, lambda s: oidc.refuse(s, slug=slug, reason=reason,
                                                     origin=origin_of(request)))  # fmt: skip
    assert isinstance(refusal, Forbidden)
    return refusal_page(request, slug, refusal)
