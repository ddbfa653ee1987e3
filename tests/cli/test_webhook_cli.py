"""hoshin webhook add, list, test and remove against a real HTTP receiver, on both
databases: the receiver verifies each call's signature with the secret it was given."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from notify_support import running_receiver

runner = CliRunner()
SECRET = "the-receivers-own-secret"


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    """A database with the organisation acme."""
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    yield database_url


def hoshin(url: str, *args: str) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    result = runner.invoke(app, list(args), env={"HOSHIN_DATABASE_URL": url})
    return result.exit_code, result.stdout, result.stderr


def test_a_webhook_is_added_listed_tested_and_removed(url: str) -> None:
    with running_receiver([500, 204]) as receiver:
        code, out, err = hoshin(
            url, "webhook", "add", "--org", "acme", receiver.url, "--events",
            "metric.red,actual.missing", "--secret", SECRET, "--format", "slack",
        )  # fmt: skip
        assert (code, err) == (0, "")
        # The events in WEBHOOK_EVENTS' order; a secret given is not printed back.
        assert out == f"added webhook 1 of acme: actual.missing,metric.red to {receiver.url}\n"
        code, out, _ = hoshin(url, "webhook", "list", "--org", "acme")
        assert out == f"1\tslack\tactual.missing,metric.red\t{receiver.url}\tnever called\n"
        failed = hoshin(url, "webhook", "test", "--org", "acme", "1")
        sent = hoshin(url, "webhook", "test", "--org", "acme", "1")
    assert failed == (1, "", "not delivered: 500: answered 500 Internal Server Error\n")
    assert sent == (0, "delivered: 204\n", "")
    for request in receiver.requests:  # both calls, signed with the secret given
        digest = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(request.headers["X-Hoshin-Signature"], f"sha256={digest}")
        assert request.headers["X-Hoshin-Event"] == "webhook.test"
        assert "Test from hoshin" in json.loads(request.body)["text"]  # Slack's message
    listed = hoshin(url, "webhook", "list", "--org", "acme")[1]
    assert re.fullmatch(
        rf"1\tslack\t\S+\t{re.escape(receiver.url)}\tlast sent 204 \S+ \S+\n", listed
    )
    assert hoshin(url, "webhook", "remove", "--org", "acme", "1") == (
        0, f"removed webhook 1 of acme ({receiver.url})\n", "",
    )  # fmt: skip
    assert hoshin(url, "webhook", "list", "--org", "acme")[1] == "acme has no webhooks\n"


def test_a_random_secret_is_printed_once_and_mistakes_are_named(url: str) -> None:
    code, out, err = hoshin(url, "webhook", "add", "--org", "acme", "https://hooks.example.com/x")
    assert code == 0 and err == "this secret will not be shown again: give it to the receiver\n"
    assert re.fullmatch(r"added webhook 1 of acme: every event to \S+\nsecret: \S{43}\n", out)
    secret = out.split("secret: ")[1].strip()
    assert secret not in hoshin(url, "webhook", "list", "--org", "acme")[1]
    refusals = {
        ("--events", "metric.blue"): "hoshin: events: 'metric.blue' is no event: use ",
        ("--format", "discord"): "hoshin: format: 'discord' is no format: use json, slack, teams",
    }
    for (option, value), words in refusals.items():
        code, out, err = hoshin(
            url, "webhook", "add", "--org", "acme", "https://h.example.com", option, value
        )
        assert code == 2 and err.startswith(words) and out == ""
    code, _, err = hoshin(url, "webhook", "add", "--org", "acme", "ftp://h.example.com")
    assert (code, err) == (2, "hoshin: url: must start with https:// (or http://)\n")
    assert hoshin(url, "webhook", "test", "--org", "acme", "7") == (
        2,
        "",
        "hoshin: no webhook 7 in acme\n",
    )
    assert (
        hoshin(url, "webhook", "list", "--org", "nowhere")[2]
        == "hoshin: no organisation 'nowhere'\n"
    )
