"""An outbox payload becomes an e-mail: two parts, absolute links, one-click unsubscribe."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest

from hoshin.errors import InvalidInput
from hoshin.service.mail import compose, message_id, one_line

BASE = "https://hoshin.example.org/"  # the trailing slash is not doubled in links
SENT = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)


def payload(**changes: Any) -> dict[str, Any]:
    """An e-mail's payload as service.notify.mail_payload writes it."""
    return {
        "subject": "November's actual of Defect rate is due",
        "greeting_name": "Ana Lima",
        "org": "Pump Maker",
        "slug": "pump",
        "items": [
            {
                "title": "November's actual of Defect rate (B1 Cut defects) is due",
                "body": "Due since 1 December.\nRecord it on the check-in page.",
                "link": "/orgs/pump/checkin?metric=M1",
            }
        ],
        "digest": False,
        "unsubscribe": "tok_123-abc",
        "event": "actual_due",
        **changes,
    }


def composed(
    data: dict[str, Any], key: str = "email|actual_due|ana|metric:M1|2026-11"
) -> EmailMessage:
    """The e-mail of ``data`` to Ana, as sent and parsed back by a mail client."""
    message = compose(
        data, to="ana@pump.example", sender="hoshin@pump.example", base_url=BASE,
        message_id=message_id(key, BASE), sent_at=SENT,
    )  # fmt: skip
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts' text."""
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert isinstance(text, EmailMessage) and isinstance(html, EmailMessage)
    return str(text.get_content()), str(html.get_content())


def test_an_email_has_a_text_and_an_html_part_linking_back_absolutely() -> None:
    message = composed(payload())
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    assert "Hello Ana Lima," in text
    assert "November's actual of Defect rate (B1 Cut defects) is due" in text
    assert "Due since 1 December.\nRecord it on the check-in page." in text
    assert "https://hoshin.example.org/orgs/pump/checkin?metric=M1" in text
    assert 'href="https://hoshin.example.org/orgs/pump/checkin?metric=M1"' in html
    assert "Due since 1 December.<br>Record it on the check-in page." in html
    assert 'href="/orgs' not in html


def test_headers_say_who_what_when_and_offer_one_click_unsubscribe() -> None:
    message = composed(payload())
    assert message["Subject"] == "November's actual of Defect rate is due"
    assert message["To"] == "ana@pump.example"
    assert message["From"] == "hoshin <hoshin@pump.example>"
    assert message["Date"] == "Tue, 01 Dec 2026 07:30:00 +0000"
    assert message["List-Unsubscribe"] == "<https://hoshin.example.org/unsubscribe/tok_123-abc>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # RFC 8058
    assert message["Auto-Submitted"] == "auto-generated"


def test_both_parts_show_the_unsubscribe_links() -> None:
    text, html = parts(composed(payload()))
    stop = "https://hoshin.example.org/unsubscribe/tok_123-abc?event=actual_due"
    every = "https://hoshin.example.org/unsubscribe/tok_123-abc"
    assert f"Stop e-mails like this one: {stop}" in text
    assert f"Unsubscribe from every hoshin e-mail: {every}\n" in text
    assert f'<a href="{stop}"' in html and f'<a href="{every}"' in html


def test_the_message_id_comes_from_the_outbox_key() -> None:
    first = composed(payload())["Message-ID"]
    again = composed(payload(subject="Changed"))["Message-ID"]
    other = composed(payload(), key="email|actual_due|ana|metric:M1|2026-12")["Message-ID"]
    assert first == again != other
    assert first.startswith("<") and first.endswith("@hoshin.example.org>")


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Due\r\nBcc: everyone@example.org", "Due Bcc: everyone@example.org"),
        ("Tab\tand\x00null", "Tab and null"),
        ("  spaced   out  ", "spaced out"),
        ("", "hoshin"),  # a subject of nothing: the product's name
    ],
)
def test_a_subject_never_spans_lines(subject: str, expected: str) -> None:
    message = composed(payload(subject=subject))
    assert message["Subject"] == expected
    assert message["Bcc"] is None


def test_a_long_subject_is_cut_at_200_characters() -> None:
    assert one_line("x" * 300) == "x" * 199 + "…"


def test_a_recipient_spanning_lines_is_refused() -> None:
    with pytest.raises(InvalidInput, match="recipient"):
        compose(payload(), to="ana@pump.example\r\nBcc: x@example.org", sender="h@example.org",
                base_url=BASE, message_id="<1@x>")  # fmt: skip


def test_html_is_escaped_and_only_http_links_are_linked() -> None:
    items = [
        {"title": "<script>alert(1)</script>", "body": "a < b & c", "link": "javascript:alert(1)"},
        {"title": "Elsewhere", "body": "", "link": "https://other.example/x"},
    ]
    text, html = parts(composed(payload(items=items, org="R&D <Labs>")))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &lt; b &amp; c" in html and "R&amp;D &lt;Labs&gt;" in html
    assert "javascript:" not in html and "javascript:" not in text
    assert 'href="https://other.example/x"' in html
    assert "<script>alert(1)</script>" in text  # the text part is text: shown as written


def test_a_digest_lists_its_sections_with_links() -> None:
    sections = {
        "owe": [{"title": "Defect rate: November's actual", "link": "/orgs/pump/checkin"}],
        "red": [],
        "late": [
            {"title": "A1.2 Train night staff (overdue 3 days)", "link": "/orgs/pump/actions/A1.2"}
        ],
    }
    item = {"title": "Your week: 1 to do, 1 late", "body": "", "link": "/orgs/pump/work"}
    data = payload(subject="Your week in Pump Maker", items=[item], digest=True,
                   sections=sections, event="digest")  # fmt: skip
    text, html = parts(composed(data))
    assert "What you owe\n------------\n- Defect rate: November's actual\n" in text
    assert "  https://hoshin.example.org/orgs/pump/checkin\n" in text
    assert "What turned red" not in text and "What turned red" not in html  # empty: left out
    assert "What is late in your units" in html
    assert 'href="https://hoshin.example.org/orgs/pump/actions/A1.2"' in html
    assert "unsubscribe/tok_123-abc?event=digest" in text


def test_without_an_unsubscribe_token_there_is_no_unsubscribe_header() -> None:
    message = composed(payload(unsubscribe=""))
    assert message["List-Unsubscribe"] is None
    assert "unsubscribe" not in parts(message)[0].lower()
