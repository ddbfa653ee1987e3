"""Delivering one outbox message: an e-mail over SMTP or a webhook call over HTTP.

A Deliverer lives for one worker pass and keeps its SMTP connection open between messages.
Nothing here raises for a failed delivery: each call returns an Outcome that says whether
the message went, the answer's code, a short error (never a password or a secret), and
whether trying again is pointless (a recipient refused with 5xx).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from hoshin.config import Settings
from hoshin.domain.webhook_body import webhook_message
from hoshin.errors import InvalidInput
from hoshin.fields import loopback
from hoshin.service.mail import compose, message_id

TIMEOUT_SECONDS = 10.0
ERROR_LENGTH = 300  # of a server's answer kept in the delivery log
USER_AGENT = "hoshin-webhooks"
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}  # mail submission: STARTTLS, or TLS at once


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one delivery."""

    delivered: bool
    code: int | None  # the SMTP or HTTP answer's code; None when there was no answer
    error: str | None
    permanent: bool = False  # trying again cannot help


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where HOSHIN_SMTP_URL points."""

    implicit_tls: bool
    host: str
    port: int
    user: str
    password: str


def email_on(config: Settings) -> bool:
    """Whether e-mail is on (HOSHIN_SMTP_URL is set)."""
    return bool(config.smtp_url.strip())


def smtp_server(url: str) -> SmtpServer:
    """HOSHIN_SMTP_URL read: smtp://user:password@host:port (STARTTLS when offered) or
    smtps://... (TLS from the start); user and password percent-encoded. Raises
    InvalidInput naming the setting (without the password)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise InvalidInput(
            "HOSHIN_SMTP_URL must look like smtp://user:password@host:587 or "
            f"smtps://user:password@host:465, not {parts.scheme or '(no scheme)'}://"
            f"{parts.hostname or '(no host)'}"
        )
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as error:
        raise InvalidInput(f"HOSHIN_SMTP_URL has a port that is not a number: {error}") from None
    return SmtpServer(
        implicit_tls=parts.scheme == "smtps",
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def signature(raw: bytes, secret: str) -> str:
    """X-Hoshin-Signature of a webhook body: sha256= and the hex HMAC-SHA256 of the raw bytes."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()


class Deliverer:
    """Sends outbox messages for one worker pass; ``close`` it at the end of the pass."""

    def __init__(
        self,
        config: Settings,
        http: httpx.Client | None = None,
        *,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        """``http`` and ``tls_context`` replace the defaults (10 s, no redirects; the
        system's certificate authorities), for tests and private certificate authorities."""
        self.config = config
        self.server = smtp_server(config.smtp_url) if email_on(config) else None
        self._tls = tls_context or ssl.create_default_context()
        self._own_http = http is None
        self._http = http or httpx.Client(
            timeout=TIMEOUT_SECONDS, follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )
        self._smtp: smtplib.SMTP | None = None
        # MAIL FROM takes the bare address of HOSHIN_MAIL_FROM ("Hoshin <h@example.org>")
        self._envelope_sender = parseaddr(config.mail_from)[1] or config.mail_from

    def email(self, *, to: str, payload: Mapping[str, Any], key: str) -> Outcome:
        """Sends the e-mail of an outbox ``payload`` to ``to``; ``key`` (the outbox key) makes
        its Message-ID, so a message sent twice is recognisably one."""
        if self.server is None:
            return Outcome(False, None, "e-mail is off (HOSHIN_SMTP_URL is not set)", True)
        try:
            message = compose(
                payload, to=to, sender=self.config.mail_from, base_url=self.config.base_url,
                message_id=message_id(key, self.config.base_url),
            )  # fmt: skip
        except (InvalidInput, ValueError) as error:
            return Outcome(False, None, _short(str(error)), permanent=True)
        reused = self._smtp is not None
        try:
            return self._send(message, to)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self._drop()
            if not reused:
                return Outcome(False, None, self._unreachable(error))
        # The kept connection had dropped (idle timeout, server restart): once more, afresh.
        try:
            return self._send(message, to)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self._drop()
            return Outcome(False, None, self._unreachable(error))

    def webhook(
        self,
        *,
        url: str,
        body: Mapping[str, Any],
        secret: str,
        format: str,
        delivery_id: str,
        event: str,
    ) -> Outcome:
        """Posts ``body`` (in the webhook's ``format``) to ``url``, signed with ``secret``."""
        try:
            message = webhook_message(format, body, base_url=self.config.base_url)
        except ValueError as error:
            return Outcome(False, None, str(error), permanent=True)
        raw = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "X-Hoshin-Event": event,
            "X-Hoshin-Delivery": delivery_id,
            "X-Hoshin-Signature": signature(raw, secret),
        }
        try:
            response = self._http.post(url, content=raw, headers=headers)
        except httpx.TimeoutException:
            return Outcome(False, None, "no answer in time")
        except httpx.InvalidURL:
            return Outcome(False, None, "the webhook's URL is not valid", permanent=True)
        except httpx.HTTPError as error:
            # The URL stays out of the message: a Slack or Teams URL is itself a secret.
            return Outcome(False, None, f"could not connect ({type(error).__name__})")
        if response.is_success:
            return Outcome(True, response.status_code, None)
        reason = response.reason_phrase or "no reason given"
        return Outcome(False, response.status_code, f"answered {response.status_code} {reason}")

    def close(self) -> None:
        """Says goodbye to the SMTP server and closes the HTTP client if it is ours."""
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # gone already
                self._smtp.quit()
            self._drop()
        if self._own_http:
            self._http.close()

    def _send(self, message: EmailMessage, to: str) -> Outcome:
        """One try on the kept connection (made if there is none); raises when the
        connection fails, answers every SMTP refusal as an Outcome."""
        try:
            smtp = self._connection()
            smtp.send_message(message, from_addr=self._envelope_sender, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as error:
            code, answer = next(iter(error.recipients.values()), (None, b""))
            return _refused(code, answer, permanent_5xx=True)
        except smtplib.SMTPDataError as error:  # the message itself refused
            if error.smtp_code == 421:  # the server closes: smtplib has closed its end
                self._drop()
            return _refused(error.smtp_code, error.smtp_error, permanent_5xx=True)
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPSenderRefused as error:  # HOSHIN_MAIL_FROM: the operator can fix it
            return _refused(error.smtp_code, error.smtp_error, permanent_5xx=False)
        except smtplib.SMTPResponseException as error:  # greeting, HELO, AUTH: the server's
            self._drop()
            return _refused(error.smtp_code, error.smtp_error, permanent_5xx=False)
        except smtplib.SMTPException as error:
            self._drop()
            return Outcome(False, None, _short(str(error)))
        except ssl.SSLError as error:
            self._drop()
            return Outcome(False, None, _short(f"TLS with the SMTP server failed: {error}"))
        return Outcome(True, 250, None)

    def _connection(self) -> smtplib.SMTP:
        """The kept SMTP connection, or a new one: TLS (smtps) or STARTTLS when offered, then
        AUTH when the URL has a user."""
        if self._smtp is not None:
            return self._smtp
        server = self.server
        assert server is not None
        smtp: smtplib.SMTP
        if server.implicit_tls:
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=TIMEOUT_SECONDS, context=self._tls
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
        try:
            smtp.ehlo()
            secure = server.implicit_tls
            if not secure and smtp.has_extn("starttls"):
                smtp.starttls(context=self._tls)
                smtp.ehlo()
                secure = True
            if server.user:
                if not secure and not loopback(server.host):
                    # A password is never sent in the clear across a network, where someone
                    # in the middle could have removed STARTTLS from the server's offer.
                    raise smtplib.SMTPNotSupportedError(
                        f"the SMTP server {server.host} offers no STARTTLS: hoshin does not "
                        "send the password in the clear (use smtps:// or a server with TLS)"
                    )
                smtp.login(server.user, server.password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def _unreachable(self, error: BaseException) -> str:
        server = self.server
        where = f"{server.host}:{server.port}" if server else "the SMTP server"
        detail = str(error) or type(error).__name__
        return _short(f"could not reach the SMTP server {where}: {detail}")


def _refused(code: int | None, answer: bytes | str, *, permanent_5xx: bool) -> Outcome:
    """An SMTP refusal as an Outcome: a 4xx is tried again; a 5xx too unless
    ``permanent_5xx`` (the recipient or the message was refused)."""
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
    permanent = permanent_5xx and code is not None and 500 <= code < 600
    return Outcome(False, code, _short(f"{code} {text}".strip()), permanent=permanent)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= ERROR_LENGTH else flat[: ERROR_LENGTH - 1] + "…"
