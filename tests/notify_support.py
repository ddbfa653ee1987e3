"""Real parts for the delivery tests: an SMTP server (aiosmtpd) and an HTTP receiver, each in
this process on a free loopback port.

    with running_smtp() as smtp:                  # smtp.url, smtp.messages (parsed)
    with running_smtp(tls="starttls", auth=("ann", "secret")) as smtp:
        deliverer = Deliverer(settings, tls_context=smtp.client_context)
    smtp.refuse("rcpt", "550 5.1.1 No such user")  # the next RCPT (or "data") is refused
    smtp.hold(2)                                   # the 2nd message from now waits in DATA...
    smtp.held.wait(30); smtp.release(record=False) # ...until released, kept or not
    smtp.restart()                                 # drops every open connection

    with running_receiver([500, 500, 200]) as receiver:  # answers in order, then 200
        receiver.url, receiver.requests                     # (method, path, headers, body)
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import ssl
import subprocess
import tempfile
import threading
import warnings
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from serving import free_port

HOST = "127.0.0.1"
WAIT_SECONDS = 30.0  # a generous bound for what happens at once: a test never sleeps


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """The TLS context of a server presenting this certificate."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client's TLS context that trusts this certificate (and checks the host name)."""
        return ssl.create_default_context(cafile=str(self.cert))


def self_signed(directory: Path) -> Certificate:
    """A fresh self-signed certificate in ``directory``."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return Certificate(cert=cert, key=key)


@dataclass
class Received:
    """One message the SMTP server accepted: its envelope, how it came, and the message."""

    mail_from: str
    rcpt_tos: list[str]
    tls: bool
    login: str | None
    message: EmailMessage


class SmtpServer:
    """A real SMTP server (aiosmtpd) recording what it accepts; see the module's docstring."""

    def __init__(self, *, port: int, certificate: Certificate | None, tls: str,
                 auth: tuple[str, str] | None) -> None:  # fmt: skip
        self.port = port
        self.certificate = certificate
        self.tls = tls
        self.auth = auth
        self.received: list[Received] = []
        self.logins: list[str] = []
        self.refusals: dict[str, deque[str]] = {"rcpt": deque(), "data": deque()}
        self.held = threading.Event()  # set while a held message waits in DATA
        self._lock = threading.Lock()
        self._data_count = 0
        self._hold_at: int | None = None
        self._release: asyncio.Event | None = None
        self._record_held = True
        self._released = threading.Event()  # set once the held message has gone on
        self._held_task: asyncio.Future[str] | None = None
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        """HOSHIN_SMTP_URL for this server."""
        scheme = "smtps" if self.tls == "implicit" else "smtp"
        user = f"{self.auth[0]}:{self.auth[1]}@" if self.auth else ""
        return f"{scheme}://{user}{HOST}:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        """The messages accepted so far, parsed."""
        with self._lock:
            return [received.message for received in self.received]

    @property
    def client_context(self) -> ssl.SSLContext | None:
        """A TLS context trusting this server's certificate (None without TLS)."""
        return self.certificate.client_context() if self.certificate else None

    def refuse(self, stage: Literal["rcpt", "data"], reply: str, times: int = 1) -> None:
        """Answer the next ``times`` RCPT TO (or DATA) with ``reply``, e.g. "550 No such user"."""
        with self._lock:
            self.refusals[stage].extend([reply] * times)

    def hold(self, nth: int = 1) -> None:
        """Make the ``nth`` message from now wait inside DATA until ``release``."""
        with self._lock:
            self._hold_at = self._data_count + nth
            self.held.clear()
            self._released.clear()

    def release(self, *, record: bool = True) -> None:
        """Let the held message go on, accepted and recorded or refused (421), even if its
        client has gone; returns once it has."""
        self._record_held = record
        controller, event = self._controller, self._release
        if controller is not None and event is not None:
            controller.loop.call_soon_threadsafe(event.set)
            self._released.wait(WAIT_SECONDS)

    def start(self) -> None:
        """Listen on the port (again)."""
        kwargs: dict[str, Any] = {}
        if self.certificate and self.tls == "implicit":
            kwargs["ssl_context"] = self.certificate.server_context()
        elif self.certificate:
            kwargs["tls_context"] = self.certificate.server_context()
            kwargs["require_starttls"] = self.tls == "required"
        if self.auth:
            kwargs["authenticator"] = self._authenticate
            kwargs["auth_require_tls"] = self.certificate is not None
        with warnings.catch_warnings():
            # aiosmtpd warns that AUTH without TLS is unsafe: here it is on purpose.
            warnings.simplefilter("ignore", UserWarning)
            self._controller = Controller(_Handler(self), hostname=HOST, port=self.port, **kwargs)
            self._controller.start()

    def stop(self) -> None:
        """Stop listening and drop every connection."""
        if self._controller is not None:
            self.release(record=False)
            self._controller.stop()
            self._controller = None

    def restart(self) -> None:
        """Drop every open connection (as a server restarting or timing out idle clients)."""
        self.stop()
        self.start()

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope,
                      mechanism: str, auth_data: Any) -> AuthResult:  # fmt: skip
        if not isinstance(auth_data, LoginPassword) or self.auth is None:
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        if (login, password) != self.auth:
            return AuthResult(success=False, handled=False)
        with self._lock:
            self.logins.append(login)
        return AuthResult(success=True, auth_data=login)

    async def _data(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self._lock:
            if self.refusals["data"]:
                return self.refusals["data"].popleft()
            self._data_count += 1
            holding = self._data_count == self._hold_at
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        received = Received(
            mail_from=str(envelope.mail_from), rcpt_tos=list(envelope.rcpt_tos),
            tls=session.ssl is not None or _tls_transport(server),
            login=session.auth_data if self.auth else None, message=parsed,
        )  # fmt: skip
        if not holding:
            return self._record(received)
        # Shielded: a client killed meanwhile (kill -9) cancels the session's task, and the
        # held message is still recorded or not as release() says, as a real server would.
        self._held_task = asyncio.ensure_future(self._hold(received))
        return await asyncio.shield(self._held_task)

    async def _hold(self, received: Received) -> str:
        self._release = asyncio.Event()
        self.held.set()
        try:
            await self._release.wait()
            self._release = None
            if not self._record_held:
                return "421 4.3.0 Closing: the message was not taken"
            return self._record(received)
        finally:
            self._released.set()

    def _record(self, received: Received) -> str:
        with self._lock:
            self.received.append(received)
        return "250 2.0.0 Message accepted for delivery"

    def _rcpt(self, address: str, envelope: Envelope) -> str:
        with self._lock:
            if self.refusals["rcpt"]:
                return self.refusals["rcpt"].popleft()
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"


def _tls_transport(server: SMTP) -> bool:
    """Whether the connection spoke TLS from the start (smtps)."""
    transport = server.transport
    return transport is not None and transport.get_extra_info("ssl_object") is not None


class _Handler:
    """aiosmtpd's handler hooks, passed on to the SmtpServer."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:  # fmt: skip
        return self.server._rcpt(address, envelope)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        return await self.server._data(server, session, envelope)


@contextmanager
def running_smtp(
    *,
    tls: Literal["none", "starttls", "required", "implicit"] = "none",
    auth: tuple[str, str] | None = None,
) -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port: without TLS, offering STARTTLS (or
    requiring it), or speaking TLS from the start; with AUTH when ``auth`` is given."""
    with tempfile.TemporaryDirectory() as directory:
        certificate = self_signed(Path(directory)) if tls != "none" else None
        server = SmtpServer(port=free_port(), certificate=certificate, tls=tls, auth=auth)
        server.start()
        try:
            yield server
        finally:
            server.stop()


Answer = int | Literal["hang"]


@dataclass(frozen=True)
class Request:
    """One request the receiver got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server answering from a script; see the module's docstring."""

    url: str
    script: deque[Answer]
    requests: list[Request] = field(default_factory=list)
    hung: threading.Event = field(default_factory=threading.Event)  # ends "hang" answers
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, request: Request) -> Answer:
        """Records ``request`` and takes the next answer of the script (200 once it ends)."""
        with self.lock:
            self.requests.append(request)
            return self.script.popleft() if self.script else 200


@contextmanager
def running_receiver(script: Sequence[Answer] = ()) -> Iterator[Receiver]:
    """A real HTTP server on a free loopback port recording each request and answering the
    statuses of ``script`` in order ("hang": no answer until the receiver stops), then 200."""
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            request = Request(self.command, self.path, dict(self.headers.items()), body)
            answer = receiver.answer(request)
            if answer == "hang":
                receiver.hung.wait(WAIT_SECONDS)
                return
            self.send_response(answer)
            if 300 <= answer < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests

    server = ThreadingHTTPServer((HOST, 0), Handler)
    server.daemon_threads = True
    receiver = Receiver(url=f"http://{HOST}:{server.server_address[1]}/hook", script=deque(script))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.hung.set()
        server.shutdown()
        server.server_close()
        thread.join()
