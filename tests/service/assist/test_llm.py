"""The chat model adapter against a real HTTP server that speaks the chat protocol
(tests/llm_server.py): what it sends, and None (logged without the key) on every failure."""

from __future__ import annotations

import logging

import pytest

from hoshin.service.assist.llm import endpoint, llm_configured, rewrite, shown
from llm_server import chat_server

INSTRUCTION = "Rewrite this objective title so that it is specific and measurable."
KEY = "sk-test-secret-4711"


@pytest.fixture(autouse=True)
def no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no chat model, whatever the machine's environment says."""
    for name in ("URL", "MODEL", "API_KEY", "TIMEOUT"):
        monkeypatch.delenv(f"HOSHIN_LLM_{name}", raising=False)


def configure(monkeypatch: pytest.MonkeyPatch, url: str, **more: str) -> None:
    monkeypatch.setenv("HOSHIN_LLM_URL", url)
    for name, value in more.items():
        monkeypatch.setenv(f"HOSHIN_LLM_{name.upper()}", value)


def test_without_a_url_nothing_is_configured_and_nothing_is_asked() -> None:
    assert not llm_configured()
    assert rewrite("Improve quality", instruction=INSTRUCTION) is None


def test_the_request_is_a_chat_completion_with_the_model_messages_and_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with chat_server(reply="Cut scrap from 8 % to 5 % by December 2027") as server:
        configure(monkeypatch, server.url, model="llama3.2", api_key=KEY)
        assert llm_configured()
        answer = rewrite("Improve quality", instruction=INSTRUCTION)
    assert answer == "Cut scrap from 8 % to 5 % by December 2027"
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.body["model"] == "llama3.2"
    assert request.body["messages"] == [
        {"role": "system", "content": INSTRUCTION},
        {"role": "user", "content": "Improve quality"},
    ]
    assert request.body["stream"] is False


def test_without_a_key_no_authorization_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    with chat_server() as server:
        configure(monkeypatch, server.url)
        assert rewrite("Improve quality", instruction=INSTRUCTION) is not None
    assert "authorization" not in server.requests[0].headers


def test_a_url_ending_in_chat_completions_is_taken_as_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with chat_server() as server:
        configure(monkeypatch, server.url + "/chat/completions/")
        assert rewrite("Improve quality", instruction=INSTRUCTION) is not None
    assert server.requests[0].path == "/v1/chat/completions"


@pytest.mark.parametrize(
    ("url", "posted"),
    [
        ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/chat/completions"),
        ("http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1/chat/completions"),
        ("http://h/api/chat/completions", "http://h/api/chat/completions"),
    ],
)
def test_the_endpoint_is_the_url_and_chat_completions(url: str, posted: str) -> None:
    assert endpoint(url) == posted


def test_the_log_shows_the_url_without_user_or_password() -> None:
    assert shown("https://bob:pw@llm.example:8443/v1/chat/completions?k=1") == (
        "https://llm.example:8443/v1/chat/completions"
    )


def test_thoughts_quotes_and_spaces_are_taken_off_the_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reply = '<think>The title lacks a number.</think>\n  "Cut scrap to 5 % by 2027"  '
    with chat_server(reply=reply) as server:
        configure(monkeypatch, server.url)
        assert rewrite("Improve quality", instruction=INSTRUCTION) == "Cut scrap to 5 % by 2027"


def failing_answers() -> list[tuple[str, dict[str, object]]]:
    """The ways an endpoint fails, each with what the server does."""
    return [
        ("server error", {"status": 500}),
        ("not found", {"status": 404}),
        ("malformed JSON", {"raw": b'{"choices": [{"message": '}),
        ("not a completion", {"raw": b'{"error": {"message": "no such model"}}'}),
        ("no choices", {"raw": b'{"choices": []}'}),
        ("content not text", {"raw": b'{"choices": [{"message": {"content": null}}]}'}),
        ("empty answer", {"reply": "  "}),
        ("control characters", {"reply": "Cut scrap\x1b[31m"}),
    ]


@pytest.mark.parametrize(("case", "answers"), failing_answers(), ids=lambda c: str(c)[:20])
def test_a_failing_endpoint_gives_none_and_a_log_line_without_the_key(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    case: str,
    answers: dict[str, object],
) -> None:
    with chat_server(**answers) as server:
        configure(monkeypatch, server.url, api_key=KEY)
        with caplog.at_level(logging.WARNING, logger="hoshin.service.assist.llm"):
            assert rewrite("Improve quality", instruction=INSTRUCTION) is None, case
    assert len(server.requests) == 1
    [record] = caplog.records
    assert server.url in record.getMessage()
    assert KEY not in caplog.text


def test_a_server_slower_than_the_timeout_gives_none(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # the server sleeps 2 s before answering; the timeout is 0.2 s
    with chat_server(delay=2.0) as server:
        configure(monkeypatch, server.url, timeout="0.2", api_key=KEY)
        with caplog.at_level(logging.WARNING, logger="hoshin.service.assist.llm"):
            assert rewrite("Improve quality", instruction=INSTRUCTION) is None
    assert "no answer in time" in caplog.text
    assert KEY not in caplog.text


def test_an_endpoint_nobody_listens_on_gives_none(monkeypatch: pytest.MonkeyPatch) -> None:
    with chat_server() as server:
        url = server.url
    configure(monkeypatch, url)  # the server is stopped: its port refuses connections
    assert rewrite("Improve quality", instruction=INSTRUCTION) is None
