"""`hoshin serve --workers N` (hoshin.runtime.workers): each worker listens on a socket of its
own, the kernel spreads the connections over them, a port in use is refused, and SIGTERM
stops every worker."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hoshin.runtime.sessions import upgrade_database
from hoshin.runtime.workers import STARTUP_SECONDS, PortTaken, hold_address, listening_socket
from serving import HOST, free_port

CONNECTIONS = 40


def test_a_port_something_listens_on_is_refused_with_its_address() -> None:
    with socket.socket() as other:
        other.bind((HOST, 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(PortTaken, match=rf"cannot listen on 127\.0\.0\.1:{port}: "):
            hold_address(HOST, port)


def test_workers_share_the_port_and_a_second_server_cannot_join_them() -> None:
    port = free_port()
    held = hold_address(HOST, port)  # the parent: bound, never listening
    first, second = listening_socket(HOST, port), listening_socket(HOST, port)
    try:
        first.listen()
        second.listen()  # two workers on one port
        with pytest.raises(PortTaken):
            hold_address(HOST, port)  # another `hoshin serve` on it
    finally:
        for sock in (held, first, second):
            sock.close()


def _by_process(port: int, pids: list[int], state: str) -> dict[int, int]:
    """How many sockets on local ``port`` in ``state`` (01: established, 0A: listening)
    each process holds (Linux /proc)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state:
            inodes.add(f"socket:[{fields[9]}]")
    counts = {}
    for pid in pids:
        folder = Path(f"/proc/{pid}/fd")
        counts[pid] = sum(1 for fd in folder.iterdir() if _link(fd) in inodes)
    return counts


def _link(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def _workers_of(parent: int) -> list[int]:
    """The worker processes of ``parent`` (multiprocessing's resource tracker left out)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == parent and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return found


# `hoshin` with the workers' start-up time set first (runtime.workers.STARTUP_SECONDS, read
# when a worker dies): a test sets it instead of waiting for it to pass.
_WITH_STARTUP_SECONDS = """\
import sys
from hoshin.runtime import workers
workers.STARTUP_SECONDS = float(sys.argv[1])
from hoshin.cli import main
sys.argv[:2] = ["hoshin"]
main()
"""


@contextmanager
def _serving(
    url: str, port: int, startup_seconds: float | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`hoshin serve --workers 2` on ``url`` (with STARTUP_SECONDS set when given), its
    output in a pipe; killed (if it still runs) and its pipe closed afterwards."""
    command = [sys.executable, "-m", "hoshin"]
    if startup_seconds is not None:
        command = [sys.executable, "-c", _WITH_STARTUP_SECONDS, str(startup_seconds)]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--workers", "2"],
        env={**os.environ, "HOSHIN_DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield server
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        assert server.stdout is not None
        server.stdout.close()


@contextmanager
def closing_all(connections: list[http.client.HTTPConnection]) -> Iterator[None]:
    """Closes every connection afterwards."""
    try:
        yield
    finally:
        for connection in connections:
            connection.close()


def _wait_until_listening(port: int, server: subprocess.Popen[bytes]) -> list[int]:
    """The two workers, once each listens on ``port`` (a connection made before the second
    one listens can only go to the first)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "hoshin serve exited"
        workers = _workers_of(server.pid)
        if len(workers) == 2 and min(_by_process(port, workers, "0A").values()) == 1:
            return workers
        time.sleep(0.2)
    raise AssertionError("the two workers did not listen within 60 s")


def test_two_workers_each_take_a_share_of_the_connections_and_stop_on_sigterm(
    tmp_path: Path,
) -> None:
    """40 keep-alive connections, each answered once (401: no token): each worker holds some
    of them (by the kernel's hash of address and port, 20 each on average; fewer than 5 on
    one has a chance below 1 in a million). A second server on the port is refused. Then
    SIGTERM: the server and both workers end."""
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    upgrade_database(url)
    port = free_port()
    connections = [http.client.HTTPConnection(HOST, port, timeout=10) for _ in range(CONNECTIONS)]
    with _serving(url, port) as server, closing_all(connections):
        workers = _wait_until_listening(port, server)
        for connection in connections:
            connection.request("GET", "/api/v1/me")
            assert connection.getresponse().status == 401
        counts = _by_process(port, workers, "01")
        assert sum(counts.values()) == CONNECTIONS
        assert min(counts.values()) >= 5, counts

        taken = f"hoshin: cannot listen on 127.0.0.1:{port}: Address already in use\n"
        for workers_asked in ("2", "1"):  # a second server on the port, with workers or not
            second = subprocess.run(
                [sys.executable, "-m", "hoshin", "serve", "--port", str(port),
                 "--workers", workers_asked],
                env={**os.environ, "HOSHIN_DATABASE_URL": url},
                capture_output=True,
                text=True,
                timeout=60,
            )  # fmt: skip
            assert (second.returncode, second.stderr) == (2, taken)
            assert second.stdout == ""  # it never said it serves
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert all(not Path(f"/proc/{pid}").exists() for pid in workers)


def test_a_worker_that_dies_is_started_again(tmp_path: Path) -> None:
    """A worker killed after its start-up time (STARTUP_SECONDS, set to 0 here instead of
    waiting 10 s for it to pass) is replaced: two workers listen again."""
    assert STARTUP_SECONDS == 10.0  # what the server uses when no test sets it
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    upgrade_database(url)
    port = free_port()
    with _serving(url, port, startup_seconds=0.0) as server:
        first = _wait_until_listening(port, server)
        os.kill(first[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while set(_workers_of(server.pid)) in ({first[1]}, set(first)):
            assert time.monotonic() < deadline, "no worker was started in its place"
            time.sleep(0.2)
        again = _wait_until_listening(port, server)
        assert first[1] in again and first[0] not in again
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert server.stdout is not None
        assert f"worker {first[0]} exited (-9); restarting" in server.stdout.read().decode()


def test_a_worker_that_dies_as_it_starts_stops_the_server(tmp_path: Path) -> None:
    """A worker that dies within its start-up time (STARTUP_SECONDS, an hour here, so any
    host is within it) failed to start, and starting it again would not help: the server
    stops the other worker and exits 2, saying why."""
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    upgrade_database(url)
    port = free_port()
    with _serving(url, port, startup_seconds=3600.0) as server:
        first = _wait_until_listening(port, server)
        os.kill(first[0], signal.SIGKILL)
        assert server.wait(timeout=60) == 2
        assert server.stdout is not None
        output = server.stdout.read().decode()
    assert "hoshin: a worker exited as it started (-9)" in output
    assert "restarting" not in output
    assert not Path(f"/proc/{first[1]}").exists()  # the other worker stopped with it
    hold_address(HOST, port).close()  # the port is free again


def test_the_workers_stop_when_the_server_is_killed(tmp_path: Path) -> None:
    """SIGKILL gives the server no chance to stop its workers: they notice that it is gone
    (PARENT_CHECK_SECONDS) and stop themselves, freeing the port."""
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    upgrade_database(url)
    port = free_port()
    with _serving(url, port) as server:
        workers = _wait_until_listening(port, server)
        server.kill()
        server.wait()
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived the server by 30 s"
        time.sleep(0.2)
    hold_address(HOST, port).close()  # the port is free again
