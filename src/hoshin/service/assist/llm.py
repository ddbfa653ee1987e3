"""The optional chat model: free-text rewrites from an OpenAI-compatible chat endpoint
(HOSHIN_LLM_URL: a local llama.cpp, Ollama or vLLM server, or a hosted one).

Nothing here is needed: without the setting, or when the endpoint fails, ``rewrite`` answers
None and the assistant goes on with its rules and the shipped embedding model. A failure is
logged for the operator (never the key) and never shown to the user as an error.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from hoshin.config import Settings, settings
from hoshin.domain.text import text_problem

log = logging.getLogger(__name__)

PATH = "/chat/completions"
TEMPERATURE = 0.2  # a rewrite should stay close to what was written
# Reasoning models (DeepSeek-R1, Qwen3) may open their answer with their thoughts.
_THINKING = re.compile(r"^\s*<think>.*?</think>", re.S)
_QUOTES = "\"'\u201c\u201d\u2018\u2019`"


def llm_configured() -> bool:
    """Whether a chat model is configured (HOSHIN_LLM_URL)."""
    return bool(settings().llm_url.strip())


def endpoint(url: str) -> str:
    """Where the chat request goes: URL/chat/completions, or URL as given when it ends so."""
    url = url.strip().rstrip("/")
    return url if url.endswith(PATH) else url + PATH


def shown(url: str) -> str:
    """``url`` without a user or password, for the log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def rewrite(text: str, *, instruction: str) -> str | None:
    """The chat model's rewrite of ``text`` as ``instruction`` asks (the system message),
    or None when no model is configured or it fails (logged, never raised)."""
    config = settings()
    if not config.llm_url.strip():
        return None
    url = endpoint(config.llm_url)
    try:
        answer = _ask(config, url, _body(config, text, instruction))
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as error:
        log.warning("the chat model at %s gave no rewrite: %s", shown(url), _reason(error))
        return None
    cleaned = _clean(answer)
    if cleaned is None:
        log.warning("the chat model at %s gave an empty or unusable rewrite", shown(url))
    return cleaned


def _body(config: Settings, text: str, instruction: str) -> dict[str, Any]:
    return {
        "model": config.llm_model,
        "messages": [
            {"role": "system", "content": instruction},
            {"role": "user", "content": text},
        ],
        "temperature": TEMPERATURE,
        "stream": False,
    }


def _ask(config: Settings, url: str, body: dict[str, Any]) -> str:
    """The content of the first choice's message; raises on any failure."""
    headers = {"Accept": "application/json"}
    key = config.llm_api_key.get_secret_value()
    if key:
        headers["Authorization"] = f"Bearer {key}"
    response = httpx.post(url, json=body, headers=headers, timeout=config.llm_timeout)
    response.raise_for_status()
    content = response.json()["choices"][0]["message"]["content"]
    if not isinstance(content, str):
        raise TypeError(f"the message's content is {type(content).__name__}, not text")
    return content


def _reason(error: Exception) -> str:
    """Why the request failed, in one line without the request's headers (the key)."""
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    if isinstance(error, httpx.TimeoutException):
        return f"no answer in time ({type(error).__name__})"
    if isinstance(error, (KeyError, IndexError, TypeError, ValueError)) and not isinstance(
        error, httpx.HTTPError
    ):
        return f"not a chat completion ({type(error).__name__}: {error})"[:300]
    return f"{type(error).__name__}: {error}"[:300]


def _clean(answer: str) -> str | None:
    """The answer without thoughts, surrounding quotes and spaces; None when nothing is left
    or it is no text a field could hold (too long, control characters)."""
    cleaned = _THINKING.sub("", answer).strip().strip(_QUOTES).strip()
    if not cleaned or text_problem(cleaned, "text") is not None:
        return None
    return cleaned
