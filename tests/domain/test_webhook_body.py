"""A webhook's body in each format, written out whole by hand."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.domain.webhook_body import absolute_link, slack_message, teams_message, webhook_message

BASE = "https://hoshin.example.org/"
BODY: dict[str, Any] = {
    "id": "d1", "event": "catchball.countered", "occurred_at": "2026-12-01T07:30:00+00:00",
    "organization": "pump", "subject": "A2 Cut scrap <by half> & more",
    "data": {"thread": "7", "link": "/orgs/pump/catchball/7", "body": "Ward A counters: 30%"},
}  # fmt: skip


def test_json_is_the_body_as_published() -> None:
    assert webhook_message("json", BODY, base_url=BASE) == BODY


def test_slack_escapes_its_control_characters_and_links_the_subject() -> None:
    assert slack_message(BODY, base_url=BASE) == {
        "text": "Catchball: countered: A2 Cut scrap <by half> & more",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": (
                "*Catchball: countered*\n"
                "<https://hoshin.example.org/orgs/pump/catchball/7|"
                "A2 Cut scrap &lt;by half&gt; &amp; more>\n"
                "Ward A counters: 30%"
            )}},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": "pump · 2026-12-01T07:30:00+00:00"},
            ]},
        ],
    }  # fmt: skip


def test_teams_gets_an_adaptive_card_with_a_button() -> None:
    assert teams_message(BODY, base_url=BASE) == {
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": None,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [
                    {"type": "TextBlock", "text": "Catchball: countered", "weight": "Bolder",
                     "size": "Medium", "wrap": True},
                    {"type": "TextBlock", "text": "A2 Cut scrap <by half> & more", "wrap": True},
                    {"type": "TextBlock", "text": "Ward A counters: 30%", "wrap": True},
                    {"type": "TextBlock", "text": "pump · 2026-12-01T07:30:00+00:00",
                     "isSubtle": True, "spacing": "None", "wrap": True},
                ],
                "actions": [{"type": "Action.OpenUrl", "title": "Open in hoshin",
                             "url": "https://hoshin.example.org/orgs/pump/catchball/7"}],
            },
        }],
    }  # fmt: skip


def test_without_a_link_there_is_no_button_and_no_slack_link() -> None:
    body = {**BODY, "subject": {"title": "A test from hoshin"}, "data": {}, "event": "webhook.test"}
    slack = slack_message(body, base_url=BASE)
    assert slack["blocks"][0]["text"]["text"] == "*Test from hoshin*\nA test from hoshin"
    assert "actions" not in teams_message(body, base_url=BASE)["attachments"][0]["content"]


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown webhook format 'xml'"):
        webhook_message("xml", BODY, base_url=BASE)


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("/orgs/pump/objectives/B1", "https://hoshin.example.org/orgs/pump/objectives/B1"),
        ("https://other.example/x", "https://other.example/x"),
        ("//evil.example/x", ""),  # a protocol-relative link would leave hoshin
        ("javascript:alert(1)", ""),
        ("objectives/B1", ""),
        ("https://", ""),
        ("", ""),
    ],
)
def test_absolute_links(link: str, expected: str) -> None:
    assert absolute_link(link, BASE) == expected
