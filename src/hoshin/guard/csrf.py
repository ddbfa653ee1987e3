"""Forged requests: a change made with the browser's cookie must come from hoshin's own pages.

Two proofs, both required for every POST, PUT, PATCH and DELETE that does not carry an API
token: the browser's own word on where the request comes from (``Sec-Fetch-Site``, else
``Origin``), and a token tied to the sign-in session that only hoshin's pages hold (a hidden
``csrf_token`` field in each form, or the ``X-CSRF-Token`` header that htmx and API clients
send). The token is a hash of the session cookie's secret, so nothing is stored for it and it
changes with every sign-in; before sign-in a random cookie of its own stands for the session.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from http.cookies import SimpleCookie
from typing import Final
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hoshin.guard.answer import refuse
from hoshin.service.account import SESSION_COOKIE

PRESESSION_COOKIE: Final = "hoshin_presession"
FIELD: Final = "csrf_token"
HEADER: Final = b"x-csrf-token"
SAFE: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM: Final = b"application/x-www-form-urlencoded"
MULTIPART: Final = b"multipart/form-data"
# The paths a change may come without the proofs: an e-mail's unsubscribe link, and a SAML
# identity provider's answer (posted from its own site, by design).
ONE_CLICK: Final = re.compile(r"/unsubscribe/[A-Za-z0-9_-]{1,64}")
SAML_ANSWER: Final = re.compile(r"/sso/[A-Za-z0-9_-]{1,64}/saml/acs")
# SCIM provisioning: a directory's bearer token is the only credential it reads (never a
# cookie), so there is no session for a forged request to borrow.
SCIM: Final = "/scim/"
REFUSED: Final = (
    "This change was refused: it did not come from a hoshin page you opened (a forged or "
    "stale form). Go back, reload the page and try again."
)


def token_for(secret: str) -> str:
    """The CSRF token of a session (or pre-session) cookie's secret."""
    return hashlib.sha256(b"hoshin-csrf\x00" + secret.encode()).hexdigest()


class CsrfGuard:
    """Refuses (403) a cookie-borne change that is cross-site or lacks the session's token,
    and gives every request its token in ``request.state.csrf_token`` for the pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith(SCIM):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        api = scope["path"].startswith("/api/")
        unsafe = scope["method"] not in SAFE
        if api and not (unsafe and b"authorization" not in headers):
            # An API read, or a change with a token: nothing to check, and no page to give a
            # token to (the hot path of scripts: no cookie to parse, no hash).
            await self.app(scope, receive, send)
            return
        if unsafe and scope["method"] == "POST" and ONE_CLICK.fullmatch(scope["path"]):
            # RFC 8058's one-click unsubscribe: a mail client posts with no cookie and no
            # token. The link's secret is its only authority, and it can only turn e-mails
            # off, so a forged post gains nothing a cookie could lend it.
            await self.app(scope, receive, send)
            return
        if unsafe and scope["method"] == "POST" and SAML_ANSWER.fullmatch(scope["path"]):
            # The assertion's signature and the sign-in request it answers (kept by the
            # server, one use) are its authority; it carries no cookie (SameSite=Lax).
            await self.app(scope, receive, send)
            return
        cookies = _cookies(headers.get(b"cookie", b""))
        secret = cookies.get(SESSION_COOKIE) or cookies.get(PRESESSION_COOKIE)
        new_secret = None
        if secret is None:
            secret = new_secret = secrets.token_urlsafe(32)
        expected = token_for(secret)
        scope.setdefault("state", {})["csrf_token"] = expected
        if unsafe:
            problem = _cross_site(scope, headers)
            # An API request without the session cookie acts as no one (it will be told 401,
            # or it is a script's sign-in): only the browser's word on its origin applies.
            if problem is None and not (api and SESSION_COOKIE not in cookies):
                body, receive = await _buffered(receive)
                sent = headers.get(HEADER, b"").decode("latin-1") or _form_token(headers, body)
                if new_secret is not None or not hmac.compare_digest(sent, expected):
                    problem = "the form's token is missing or does not match your session"
            if problem is not None:
                await refuse(scope, receive, send, 403, REFUSED, problem)
                return
        if new_secret is not None and not api:
            send = _setting_cookie(send, new_secret, scope.get("scheme") == "https")
        await self.app(scope, receive, send)


def _cross_site(scope: Scope, headers: dict[bytes, bytes]) -> str | None:
    """Why the browser says the request is not from hoshin's own origin, or None."""
    fetch_site = headers.get(b"sec-fetch-site")
    if fetch_site is not None:
        if fetch_site in (b"same-origin", b"none"):
            return None
        where = fetch_site.decode("latin-1")
        return f"the browser says it came from a {where} page, not from hoshin's own"
    origin = headers.get(b"origin")
    if origin is None:  # not a browser of this decade (curl, a script): the token decides
        return None
    own = f"{scope.get('scheme', 'http')}://{headers.get(b'host', b'').decode('latin-1')}"
    if origin.decode("latin-1") != own:
        return f"it came from {origin.decode('latin-1')}, not from {own}"
    return None


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body (the size guard outside has bounded it), and a receive that replays it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


def _form_token(headers: dict[bytes, bytes], body: bytes) -> str:
    """The ``csrf_token`` field of a urlencoded or multipart form ('' for any other body)."""
    kind = headers.get(b"content-type", b"")
    if kind.startswith(MULTIPART):
        return _multipart_token(kind, body)
    if not kind.startswith(FORM):
        return ""
    for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
        if name == FIELD:
            return value
    return ""


# A form that uploads a file (multipart/form-data) carries the token as a part of its own,
# which a page without JavaScript can send no other way.
_BOUNDARY = re.compile(rb';\s*boundary="?([^";]{1,200})"?')
_TOKEN_PART = re.compile(rb'(?i)content-disposition:\s*form-data;\s*name="csrf_token"\s*$')


def _multipart_token(kind: bytes, body: bytes) -> str:
    """The ``csrf_token`` part of a multipart form ('' without one)."""
    found = _BOUNDARY.search(kind)
    if found is None:
        return ""
    for part in body.split(b"--" + found.group(1)):
        head, blank, value = part.lstrip(b"\r\n").partition(b"\r\n\r\n")
        if blank and _TOKEN_PART.match(head.strip()):
            return value.removesuffix(b"\r\n").decode("latin-1")
    return ""


def _cookies(header: bytes) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header.decode("latin-1"))
    except Exception:  # a malformed Cookie header holds no session of ours
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def _setting_cookie(send: Send, secret: str, secure: bool) -> Send:
    """``send`` that also sets the pre-session cookie on the answer."""
    cookie = f"{PRESESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax"
    value = (cookie + ("; Secure" if secure else "")).encode()

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), (b"set-cookie", value)]
        await send(message)

    return sending
