"""The e-mail of one outbox message: plain text and HTML, links back to hoshin, and a
one-click unsubscribe (RFC 8058). Composing only; runtime.delivery sends it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formatdate
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from hoshin.domain.webhook_body import absolute_link
from hoshin.errors import InvalidInput

SUBJECT_LENGTH = 200  # a longer subject is cut: mail clients show less than this anyway
# The digest's lists (domain.reminders): their headings, in this order.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("owe", "What you owe"),
    ("red", "What turned red"),
    ("late", "What is late in your units"),
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),  # the .txt part is text: nothing to escape
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing the e-mail tells: its title, what it says and where it is (absolute)."""

    title: str
    body: str
    url: str


def message_id(key: str, base_url: str) -> str:
    """The Message-ID of the outbox message ``key``: the same key always gives the same id,
    so a message sent again after a crash is recognisably the same message."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    host = urlsplit(base_url).hostname or "hoshin.invalid"
    return f"<{digest}@{host}>"


def one_line(text: str, limit: int = SUBJECT_LENGTH) -> str:
    """``text`` on one line without control characters (no header injection), cut to
    ``limit`` characters."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def compose(
    payload: Mapping[str, Any],
    *,
    to: str,
    sender: str,
    base_url: str,
    message_id: str,
    sent_at: datetime | None = None,
) -> EmailMessage:
    """The e-mail of an outbox payload (service.notify.mail_payload) to ``to``: a text and an
    HTML part, each item linked back to hoshin, and the unsubscribe headers and links."""
    for name, value in (("recipient", to), ("sender", sender), ("Message-ID", message_id)):
        if not value or _CONTROL.search(value):
            raise InvalidInput(f"The e-mail's {name} {value!r} is empty or spans lines.")
    base = base_url.rstrip("/")
    context = _context(payload, base)
    message = EmailMessage()
    message["Subject"] = one_line(str(payload.get("subject", ""))) or "hoshin"
    message["From"] = _address(sender, "hoshin")
    message["To"] = to
    message["Date"] = format_datetime(sent_at) if sent_at else formatdate(usegmt=True)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    if context["unsubscribe_url"]:
        message["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(_TEMPLATES.get_template("mail.txt").render(context))
    message.add_alternative(_TEMPLATES.get_template("mail.html").render(context), subtype="html")
    return message


def _address(sender: str, display_name: str) -> Address | str:
    """``sender`` with a display name when it is a bare address."""
    if "<" in sender or "@" not in sender:
        return sender
    return Address(display_name, addr_spec=sender)


def _context(payload: Mapping[str, Any], base: str) -> dict[str, Any]:
    token = str(payload.get("unsubscribe") or "")
    event = str(payload.get("event") or "")
    unsubscribe = f"{base}/unsubscribe/{quote(token, safe='')}" if token else ""
    stop_these = f"{unsubscribe}?event={quote(event, safe='')}" if token and event else ""
    slug = str(payload.get("slug") or "")
    return {
        "subject": one_line(str(payload.get("subject", ""))),
        "greeting_name": one_line(str(payload.get("greeting_name") or ""), 100),
        "org": one_line(str(payload.get("org") or slug), 200),
        "org_url": f"{base}/orgs/{quote(slug, safe='')}" if slug else base,
        "items": _items(payload.get("items") or (), base),
        "sections": _sections(payload.get("sections") or {}, base),
        "digest": bool(payload.get("digest")),
        "unsubscribe_url": unsubscribe,
        "stop_these_url": stop_these,
    }


def _items(raw: Sequence[Mapping[str, Any]], base: str) -> list[Item]:
    return [
        Item(
            title=one_line(str(item.get("title", "")), 500),
            body=str(item.get("body") or "").strip(),
            url=absolute_link(str(item.get("link") or ""), base),
        )
        for item in raw
        if isinstance(item, Mapping)
    ]


def _sections(raw: Mapping[str, Any], base: str) -> list[tuple[str, list[Item]]]:
    """The digest's lists that have something in them, with their headings."""
    if not isinstance(raw, Mapping):
        return []
    found = [(heading, _items(raw.get(name) or (), base)) for name, heading in SECTIONS]
    return [(heading, items) for heading, items in found if items]
