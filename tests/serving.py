"""`hoshin serve` as a real process on a free loopback port, for the tests that need the
server itself (several processes, workers, proxies, the browser)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def hoshin_serve(
    database_url: str,
    *args: str,
    env: Mapping[str, str | None] | None = None,
    log: Path | None = None,
    wait: float = 120,
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`hoshin serve ARGS` on ``database_url`` and a free port, until it takes connections;
    yields the port and the process, which is stopped afterwards. ``env`` adds to the
    environment (None for a value: left out). Its output goes to ``log``: a file, not a
    pipe, which once full would stop the server; without one, nowhere."""
    port = free_port()
    environment = {**os.environ, "HOSHIN_DATABASE_URL": database_url}
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    command = [sys.executable, "-m", "hoshin", "serve", "--port", str(port), *args]
    with log.open("wb") if log is not None else open(os.devnull, "wb") as output:
        process = subprocess.Popen(
            command, env=environment, stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _until_listening(process, port, wait, log)
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _until_listening(
    process: subprocess.Popen[bytes], port: int, wait: float, log: Path | None
) -> None:
    deadline = time.monotonic() + wait
    while True:
        if process.poll() is not None:
            pytest.fail(f"hoshin serve exited {process.returncode}:\n{_said(log)}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"hoshin serve did not listen in {wait:.0f} s:\n{_said(log)}")
            time.sleep(0.1)


def _said(log: Path | None) -> str:
    return log.read_text(errors="replace") if log is not None and log.exists() else ""
