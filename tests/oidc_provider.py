"""OpenID Connect providers for the tests: oidc-provider-mock (a real provider built on
Authlib's server, with a sign-in page; ``mock_provider``) for the happy path, and a tiny
provider for the refusal tests, over real HTTP on 127.0.0.1: its
discovery document, its keys, an authorization endpoint that answers at once with a code,
and a token endpoint that checks the client secret and the PKCE verifier and gives the ID
token a test chose (oidc-provider-mock, for the happy path, mints only good tokens).

A test sets ``claims`` (merged over the good ones: iss, aud, sub, email, nonce, iat, exp),
``signing_key`` (another key than the published one: a bad signature) or ``header``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "hoshin-test"
CLIENT_SECRET = "a client secret of 32 characters"


@dataclass
class TinyProvider:
    """The provider's state: what it will put in the next ID token, and what it saw."""

    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    signing_key: RSAKey | None = None  # None: the published key
    claims: dict[str, Any] = field(default_factory=dict)
    header: dict[str, Any] = field(default_factory=dict)
    user: dict[str, Any] = field(default_factory=lambda: {"sub": "u-1", "email": "ann@x.example"})
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: int = 0
    jwks_reads: int = 0
    issued: list[str] = field(default_factory=list)  # the ID tokens given, oldest first
    document_issuer: str | None = None  # the discovery document's issuer, if not ``issuer``

    def id_token(self, nonce: str) -> str:
        """The ID token for a code whose authorization request had this nonce."""
        now = int(time.time())
        good = {"iss": self.issuer, "aud": CLIENT_ID, "nonce": nonce, "iat": now,
                "exp": now + 300, **self.user}  # fmt: skip
        header = {"alg": "RS256", "kid": "k1", **self.header}
        token = jwt.encode(header, {**good, **self.claims}, self.signing_key or self.key)
        self.issued.append(token)
        return token

    def document(self) -> dict[str, Any]:
        """The discovery document."""
        return {
            "issuer": self.document_issuer or self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "id_token_signing_alg_values_supported": ["RS256"],
        }


def _handler(provider: TinyProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the tests say what went wrong

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(200, provider.document())
            elif parts.path == "/jwks":
                provider.jwks_reads += 1
                self._json(200, KeySet([provider.key]).as_dict(private=False))
            elif parts.path == "/authorize":
                code = secrets.token_urlsafe(16)
                provider.codes[code] = query
                back = {"code": code, "state": query.get("state", "")}
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{urlencode(back)}")
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            provider.token_requests += 1
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            asked = provider.codes.pop(form.get("code", ""), None)
            if self.headers.get("Authorization") != f"Basic {basic}":
                self._json(401, {"error": "invalid_client"})
            elif asked is None or form.get("redirect_uri") != asked["redirect_uri"]:
                self._json(400, {"error": "invalid_grant"})
            elif _challenge(form.get("code_verifier", "")) != asked.get("code_challenge"):
                self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
            else:
                token = provider.id_token(asked.get("nonce", ""))
                self._json(200, {"access_token": "at", "token_type": "Bearer", "id_token": token})

        def _json(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@contextmanager
def tiny_provider() -> Iterator[TinyProvider]:
    """A TinyProvider serving on 127.0.0.1 (a free port) until the block ends."""
    provider = TinyProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def mock_provider(users: dict[str, dict[str, object]]) -> Iterator[str]:
    """oidc-provider-mock on localhost (a free port) until the block ends, knowing ``users``
    (sub -> claims); yields its issuer. Any client id and secret are taken."""
    with warnings.catch_warnings():
        # The mock calls Authlib server APIs that Authlib deprecated (its threads see the
        # tests' "warnings are errors" filter); hoshin's own warnings stay errors.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"authlib\.")
        warnings.filterwarnings("ignore", message="authlib.jose module is deprecated")
        import oidc_provider_mock  # here: its import warns (it uses authlib.jose)

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        claims = [oidc_provider_mock.User(sub=sub, claims=c) for sub, c in users.items()]
        with oidc_provider_mock.run_server_in_thread(user_claims=claims) as server:
            yield f"http://localhost:{server.server_port}"
