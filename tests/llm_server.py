"""A small OpenAI-compatible chat server for the tests: a real HTTP server on the loopback
address, in a thread of the test process, that answers POST .../chat/completions with a
canned completion and records each request. No model can be downloaded here, so this is the
one stand-in for a chat model; what it answers is set per test (a reply, a delay, a status,
a raw body)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the JSON body, or the raw text when it is not JSON


@dataclass
class ChatServer:
    """What the server answers next, and what it received."""

    reply: str = "Cut warranty claims from 24 to 3 per 1,000 pumps by December 2029"
    status: int = 200
    delay: float = 0.0  # seconds to sleep before answering
    raw: bytes | None = None  # a body to send as is, instead of a completion
    requests: list[Request] = field(default_factory=list)
    url: str = ""  # http://127.0.0.1:PORT/v1, set once it listens

    def completion(self) -> bytes:
        """The body of the answer: the raw one, or a chat completion holding ``reply``."""
        if self.raw is not None:
            return self.raw
        answer = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 0,
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.reply},
                    "finish_reason": "stop",
                }
            ],
        }
        return json.dumps(answer).encode()


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the http.server's name for it
            length = int(self.headers.get("Content-Length") or 0)
            text = self.rfile.read(length).decode("utf-8", "replace")
            try:
                body: Any = json.loads(text)
            except ValueError:
                body = text
            headers = {key.lower(): value for key, value in self.headers.items()}
            server.requests.append(Request("POST", self.path, headers, body))
            if server.delay:
                time.sleep(server.delay)
            payload = server.completion() if server.status == 200 else b'{"error": "boom"}'
            try:
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up waiting (the timeout test)
                pass

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test output is for the tests."""

    return Handler


@contextmanager
def chat_server(**answers: Any) -> Iterator[ChatServer]:
    """A running chat server on a free loopback port, stopped afterwards."""
    server = ChatServer(**answers)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
