"""What a webhook call carries, by the webhook's format: hoshin's own JSON as written by
service.notify.publish, a Slack incoming-webhook message or a Microsoft Teams card. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

Format = Literal["json", "slack", "teams"]
FORMATS: tuple[Format, ...] = get_args(Format)
TITLE_LENGTH = 500  # Slack cuts a section at 3000 characters; a title needs far less

# The words a chat message starts with, per event (domain.notices.WEBHOOK_EVENTS).
EVENT_WORDS: Mapping[str, str] = {
    "actual.recorded": "Actual recorded",
    "actual.missing": "Actual missing",
    "metric.red": "Metric turned red",
    "deadline.due": "Due soon",
    "deadline.overdue": "Overdue",
    "catchball.proposed": "Catchball: proposed",
    "catchball.countered": "Catchball: countered",
    "catchball.accepted": "Catchball: accepted",
    "catchball.withdrawn": "Catchball: withdrawn",
    "comment.created": "New comment",
    "review.scheduled": "Monthly review scheduled",
    "review.recorded": "Monthly review recorded",
    "webhook.test": "Test from hoshin",
}


def absolute_link(link: str, base_url: str) -> str:
    """``link`` made absolute with ``base_url``: a path under it, or an http(s) address as
    given; anything else (javascript:, a relative path) gives no link ("")."""
    if link.startswith("/") and not link.startswith("//"):
        return base_url.rstrip("/") + link
    if urlsplit(link).scheme in ("http", "https") and urlsplit(link).netloc:
        return link
    return ""


def event_words(event: str) -> str:
    """How a chat message names ``event``."""
    return EVENT_WORDS.get(event, event)


def webhook_message(format: str, body: Mapping[str, Any], *, base_url: str) -> dict[str, Any]:
    """What is posted to a webhook of ``format`` for the event ``body`` ({id, event,
    occurred_at, organization, subject, data}); raises ValueError for an unknown format."""
    if format == "json":
        return dict(body)
    if format == "slack":
        return slack_message(body, base_url=base_url)
    if format == "teams":
        return teams_message(body, base_url=base_url)
    raise ValueError(f"unknown webhook format {format!r}: one of {', '.join(FORMATS)}")


def slack_message(body: Mapping[str, Any], *, base_url: str) -> dict[str, Any]:
    """A Slack incoming-webhook message: fallback text and blocks in mrkdwn, the subject
    linked as <url|title>."""
    words, title, url, detail, context = _parts(body, base_url)
    link = f"<{_slack_url(url)}|{_slack_text(title)}>" if url else _slack_text(title)
    text = f"*{_slack_text(words)}*\n{link}"
    if detail:
        text += f"\n{_slack_text(detail)}"
    return {
        "text": f"{words}: {title}",  # the notification's text, and what old clients show
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_text(context)}]},
        ],
    }


def teams_message(body: Mapping[str, Any], *, base_url: str) -> dict[str, Any]:
    """A Microsoft Teams incoming-webhook (or Workflows) message: one Adaptive Card with the
    event, the subject, where and when, and a button to the item."""
    words, title, url, detail, context = _parts(body, base_url)
    blocks: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": words, "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": title, "wrap": True},
    ]
    if detail:
        blocks.append({"type": "TextBlock", "text": detail, "wrap": True})
    blocks.append(
        {"type": "TextBlock", "text": context, "isSubtle": True, "spacing": "None", "wrap": True}
    )
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": blocks,
    }
    if url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open in hoshin", "url": url}]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def _parts(body: Mapping[str, Any], base_url: str) -> tuple[str, str, str, str, str]:
    """The event's words, the subject's title, its absolute link, a detail line, and where
    and when (organisation and time)."""
    subject = body.get("subject")
    raw_data = body.get("data")
    data: Mapping[str, Any] = raw_data if isinstance(raw_data, Mapping) else {}
    if isinstance(subject, Mapping):
        title = str(subject.get("title") or subject.get("id") or "")
        link = str(subject.get("link") or data.get("link") or "")
    else:
        title, link = str(subject or ""), str(data.get("link") or "")
    title = _cut(" ".join(title.split()) or "(untitled)")
    detail = _cut(str(data.get("body") or "").strip())
    organization = body.get("organization")
    if isinstance(organization, Mapping):
        organization = organization.get("name") or organization.get("slug")
    when = str(body.get("occurred_at") or "")
    context = " · ".join(part for part in (str(organization or ""), when) if part)
    return (
        event_words(str(body.get("event") or "")),
        title,
        absolute_link(link, base_url),
        detail,
        context,
    )


def _cut(text: str) -> str:
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


def _slack_text(text: str) -> str:
    """Slack's escaping: &, < and > are control characters of its mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_url(url: str) -> str:
    """A URL inside <url|title>: its own |, < and > would end the link early."""
    return url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
