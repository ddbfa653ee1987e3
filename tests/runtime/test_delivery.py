"""One message delivered for real: e-mails to an SMTP server (aiosmtpd) in this process,
webhook calls to an HTTP receiver in this process, and what each failure becomes."""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from hoshin.config import Settings
from hoshin.errors import InvalidInput
from hoshin.fields import loopback
from hoshin.runtime.delivery import Deliverer, Outcome, email_on, signature, smtp_server
from notify_support import WAIT_SECONDS, running_receiver, running_smtp
from serving import free_port

BASE = "https://hoshin.example.org"
KEY = "email|actual_due|ana|metric:M1|2026-11"
SECRET = "s3cret-for-the-hmac"
PAYLOAD: dict[str, Any] = {
    "subject": "November's actual of Defect rate is due",
    "greeting_name": "Ana Lima", "org": "Pump Maker", "slug": "pump",
    "items": [{"title": "November's actual of Defect rate is due", "body": "",
               "link": "/orgs/pump/checkin"}],
    "digest": False, "unsubscribe": "tok", "event": "actual_due",
}  # fmt: skip
BODY: dict[str, Any] = {
    "id": "7d1c5a8e-0000-5000-8000-000000000001", "event": "metric.red",
    "occurred_at": "2026-12-01T07:30:00+00:00", "organization": "pump",
    "subject": "Defect rate (B1 Cut defects) turned red in November",
    "data": {"metric": "M1", "period": "2026-11", "link": "/orgs/pump/objectives/B1"},
}  # fmt: skip


def settings(smtp_url: str = "") -> Settings:
    """Settings with e-mail sent through ``smtp_url``."""
    return Settings(smtp_url=smtp_url, mail_from="hoshin@pump.example", base_url=BASE)


@contextmanager
def deliverer(smtp_url: str = "", **kwargs: Any) -> Iterator[Deliverer]:
    """A Deliverer for one pass, closed after it."""
    sender = Deliverer(settings(smtp_url), **kwargs)
    try:
        yield sender
    finally:
        sender.close()


def test_an_email_arrives_whole() -> None:
    with running_smtp() as smtp, deliverer(smtp.url) as sender:
        outcome = sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY)
        assert outcome == Outcome(True, 250, None)
        [received] = smtp.received
    assert received.mail_from == "hoshin@pump.example"
    assert received.rcpt_tos == ["ana@pump.example"]
    message = received.message
    assert message["Subject"] == "November's actual of Defect rate is due"
    assert message["List-Unsubscribe"] == f"<{BASE}/unsubscribe/tok>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert isinstance(text, EmailMessage) and isinstance(html, EmailMessage)
    assert f"{BASE}/orgs/pump/checkin" in text.get_content()
    assert f'href="{BASE}/orgs/pump/checkin"' in html.get_content()


def test_a_sender_with_a_name_sends_from_its_address() -> None:
    config = Settings(smtp_url="", mail_from="Pump Maker hoshin <hoshin@pump.example>")
    with running_smtp() as smtp:
        sender = Deliverer(config.model_copy(update={"smtp_url": smtp.url}))
        try:
            assert sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY).delivered
        finally:
            sender.close()
        [received] = smtp.received
    assert received.mail_from == "hoshin@pump.example"
    assert received.message["From"] == "Pump Maker hoshin <hoshin@pump.example>"


def test_the_same_key_sends_the_same_message_id() -> None:
    with running_smtp() as smtp, deliverer(smtp.url) as sender:
        for key in (KEY, KEY, KEY.replace("2026-11", "2026-12")):
            assert sender.email(to="ana@pump.example", payload=PAYLOAD, key=key).delivered
        ids = [message["Message-ID"] for message in smtp.messages]
    assert ids[0] == ids[1] != ids[2]
    expected = hashlib.sha256(KEY.encode()).hexdigest()[:32]  # service.mail.message_id
    assert ids[0] == f"<{expected}@hoshin.example.org>"


def test_one_connection_carries_a_pass_and_a_dropped_one_is_made_again() -> None:
    with running_smtp() as smtp, deliverer(smtp.url) as sender:
        assert sender.email(to="a@pump.example", payload=PAYLOAD, key="k1").delivered
        smtp.restart()  # the kept connection is dropped by the server
        assert sender.email(to="b@pump.example", payload=PAYLOAD, key="k2").delivered
        assert [received.rcpt_tos for received in smtp.received] == [
            ["a@pump.example"], ["b@pump.example"],
        ]  # fmt: skip


def test_starttls_and_auth() -> None:
    with running_smtp(tls="required", auth=("ann", "pa:ss@word")) as smtp:
        # the password travels percent-encoded in the URL, as HOSHIN_SMTP_URL holds it
        url = smtp.url.replace("pa:ss@word", "pa%3Ass%40word")
        with deliverer(url, tls_context=smtp.client_context) as sender:
            outcome = sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY)
        assert outcome.delivered, outcome
        [received] = smtp.received
        assert received.tls and received.login == "ann"
        assert smtp.logins == ["ann"]


def test_implicit_tls() -> None:
    with running_smtp(tls="implicit") as smtp:
        assert smtp.url.startswith("smtps://")
        with deliverer(smtp.url, tls_context=smtp.client_context) as sender:
            assert sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY).delivered
        assert smtp.received[0].tls


def test_a_certificate_nobody_vouches_for_is_not_trusted() -> None:
    with running_smtp(tls="starttls") as smtp, deliverer(smtp.url) as sender:
        outcome = sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY)
        assert not outcome.delivered and not outcome.permanent
        assert outcome.error is not None and "certificate" in outcome.error.lower()
        assert smtp.messages == []


def test_a_wrong_password_is_tried_again_and_never_shown() -> None:
    with running_smtp(tls="starttls", auth=("ann", "right")) as smtp:
        url = smtp.url.replace("right", "wrong-password")
        with deliverer(url, tls_context=smtp.client_context) as sender:
            outcome = sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY)
    assert outcome.code == 535 and not outcome.delivered and not outcome.permanent
    assert "wrong-password" not in str(outcome.error)


@pytest.mark.parametrize(
    ("stage", "reply", "permanent"),
    [
        ("rcpt", "550 5.1.1 No such user", True),  # 5xx for the recipient: give up
        ("rcpt", "452 4.2.2 Mailbox full", False),  # 4xx: try again later
        ("data", "554 5.7.1 Message rejected", True),
        ("data", "451 4.3.0 Try again later", False),
        ("data", "421 4.3.2 Shutting down", False),
    ],
)
def test_refusals_say_their_code_and_whether_to_try_again(
    stage: Any, reply: str, permanent: bool
) -> None:
    with running_smtp() as smtp, deliverer(smtp.url) as sender:
        smtp.refuse(stage, reply)
        outcome = sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY)
        assert outcome == Outcome(False, int(reply[:3]), reply, permanent)
        # the next message goes through (after 421 on a new connection)
        assert sender.email(to="ben@pump.example", payload=PAYLOAD, key="k2").delivered
        assert [received.rcpt_tos for received in smtp.received] == [["ben@pump.example"]]


def test_an_smtp_server_that_is_not_there_is_tried_again() -> None:
    with deliverer(f"smtp://127.0.0.1:{free_port()}") as sender:
        outcome = sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY)
    assert not outcome.delivered and not outcome.permanent and outcome.code is None
    assert outcome.error is not None and "could not reach the SMTP server" in outcome.error


def test_email_off_without_an_smtp_url() -> None:
    assert not email_on(settings("")) and email_on(settings("smtp://mail.example"))
    with deliverer("") as sender:
        outcome = sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY)
    assert outcome == Outcome(False, None, "e-mail is off (HOSHIN_SMTP_URL is not set)", True)


@pytest.mark.parametrize(
    ("url", "implicit_tls", "host", "port", "user", "password"),
    [
        ("smtp://mail.example", False, "mail.example", 587, "", ""),
        ("smtps://ann:p%40ss@mail.example", True, "mail.example", 465, "ann", "p@ss"),
        ("smtp://ann:pw@127.0.0.1:2525", False, "127.0.0.1", 2525, "ann", "pw"),
    ],
)
def test_smtp_urls(
    url: str, implicit_tls: bool, host: str, port: int, user: str, password: str
) -> None:
    server = smtp_server(url)
    assert (server.implicit_tls, server.host, server.port) == (implicit_tls, host, port)
    assert (server.user, server.password) == (user, password)


@pytest.mark.parametrize("url", ["http://mail.example", "mail.example:25", "smtp://"])
def test_an_smtp_url_of_another_kind_is_refused_without_the_password(url: str) -> None:
    with pytest.raises(InvalidInput, match="HOSHIN_SMTP_URL"):
        smtp_server(url)


def test_a_password_goes_without_tls_only_to_this_machine() -> None:
    # The test servers listen on the loopback, where AUTH without TLS is allowed (the next
    # test); to any other host a password goes only over STARTTLS or smtps.
    assert loopback("127.0.0.1") and loopback("::1") and loopback("localhost")
    assert not loopback("192.0.2.10") and not loopback("mail.example")


def test_auth_without_tls_on_the_loopback() -> None:
    with running_smtp(auth=("ann", "pw")) as smtp, deliverer(smtp.url) as sender:
        assert sender.email(to="ana@pump.example", payload=PAYLOAD, key=KEY).delivered
        assert smtp.logins == ["ann"] and not smtp.received[0].tls


def verified(headers: dict[str, str], raw: bytes) -> bool:
    """The receiver's check, as a webhook's owner would write it."""
    expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Hoshin-Signature"], expected)


def post(sender: Deliverer, url: str, format: str = "json") -> Outcome:
    return sender.webhook(url=url, body=BODY, secret=SECRET, format=format,
                          delivery_id=BODY["id"], event="metric.red")  # fmt: skip


def test_a_webhook_call_is_signed_and_carries_the_event() -> None:
    with running_receiver() as receiver, deliverer() as sender:
        assert post(sender, receiver.url) == Outcome(True, 200, None)
        [request] = receiver.requests
    assert request.method == "POST" and request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Hoshin-Event"] == "metric.red"
    assert request.headers["X-Hoshin-Delivery"] == BODY["id"]
    assert verified(request.headers, request.body)
    assert json.loads(request.body) == BODY  # exactly {id, event, occurred_at, ...}
    assert signature(request.body, SECRET) == request.headers["X-Hoshin-Signature"]
    assert not verified({"X-Hoshin-Signature": signature(request.body, "other")}, request.body)


def test_a_webhook_answering_500_twice_then_200() -> None:
    with running_receiver([500, 500, 200]) as receiver, deliverer() as sender:
        outcomes = [post(sender, receiver.url) for _ in range(3)]
        assert len(receiver.requests) == 3
    assert outcomes == [
        Outcome(False, 500, "answered 500 Internal Server Error"),
        Outcome(False, 500, "answered 500 Internal Server Error"),
        Outcome(True, 200, None),
    ]


def test_a_redirect_is_not_followed() -> None:
    with running_receiver([302]) as receiver, deliverer() as sender:
        assert post(sender, receiver.url) == Outcome(False, 302, "answered 302 Found")
        assert len(receiver.requests) == 1


def test_a_webhook_that_does_not_answer_in_time() -> None:
    # the deliverer's own client waits 10 s; a test's client waits a tenth of a second
    with (
        running_receiver(["hang"]) as receiver,
        httpx.Client(timeout=0.1) as client,
        deliverer(http=client) as sender,
    ):
        assert post(sender, receiver.url) == Outcome(False, None, "no answer in time")


def test_a_webhook_nobody_listens_at_keeps_its_url_to_itself() -> None:
    url = f"http://127.0.0.1:{free_port()}/services/T000/B000/XXXXsecretXXXX"
    with deliverer() as sender:
        outcome = post(sender, url)
    assert outcome == Outcome(False, None, "could not connect (ConnectError)")


@pytest.mark.parametrize("format", ["slack", "teams"])
def test_slack_and_teams_get_their_own_body_still_signed(format: str) -> None:
    with running_receiver() as receiver, deliverer() as sender:
        assert post(sender, receiver.url, format).delivered
        [request] = receiver.requests
    assert verified(request.headers, request.body)
    sent = json.loads(request.body)
    link = f"{BASE}/orgs/pump/objectives/B1"
    if format == "slack":
        assert sent["text"] == "Metric turned red: " + BODY["subject"]
        assert f"<{link}|{BODY['subject']}>" in sent["blocks"][0]["text"]["text"]
    else:
        [attachment] = sent["attachments"]
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert attachment["content"]["actions"][0]["url"] == link


def test_an_unknown_format_is_not_tried_again() -> None:
    with deliverer() as sender:
        outcome = post(sender, "http://127.0.0.1:9/", "xml")
    assert not outcome.delivered and outcome.permanent


def test_a_held_message_waits_until_released() -> None:
    # what the worker's kill -9 test does with a hoshin worker process, here with a thread
    with running_smtp() as smtp, deliverer(smtp.url) as sender:
        smtp.hold(2)
        outcomes: list[Outcome] = []

        def send_two() -> None:
            for key in ("k1", "k2"):
                outcomes.append(sender.email(to="ana@pump.example", payload=PAYLOAD, key=key))

        thread = threading.Thread(target=send_two)
        thread.start()
        assert smtp.held.wait(WAIT_SECONDS)
        assert len(smtp.messages) == 1  # the first went, the second waits in DATA
        smtp.release(record=True)
        thread.join(WAIT_SECONDS)
        assert [outcome.delivered for outcome in outcomes] == [True, True]
        assert len(smtp.messages) == 2


@pytest.mark.parametrize("record", [True, False])
def test_a_held_message_whose_sender_is_killed_is_kept_or_not(record: bool) -> None:
    # The worker's kill -9 test: the sender dies while the server holds its message after
    # the data; released, the server keeps it (a server that had accepted it) or not.
    with running_smtp() as smtp:
        smtp.hold(1)
        script = (
            "import smtplib\n"
            f"smtplib.SMTP('127.0.0.1', {smtp.port}, timeout=60)"
            ".sendmail('hoshin@pump.example', ['ana@pump.example'], 'Subject: held\\r\\n\\r\\nx')"
        )
        process = subprocess.Popen([sys.executable, "-c", script])
        assert smtp.held.wait(WAIT_SECONDS)
        process.send_signal(signal.SIGKILL)
        process.wait(WAIT_SECONDS)
        smtp.release(record=record)
        with deliverer(smtp.url) as sender:  # the server goes on serving
            assert sender.email(to="ben@pump.example", payload=PAYLOAD, key=KEY).delivered
        subjects = [message["Subject"] for message in smtp.messages]
    assert subjects == (["held"] if record else []) + [PAYLOAD["subject"]]
