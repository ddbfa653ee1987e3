"""`hoshin serve --workers N`: N uvicorn processes, each listening on a socket of its own.

uvicorn's own workers share one listening socket, and whichever process wakes first accepts
every connection that is waiting, so clients that connect at once (a load generator, or a
proxy's pool of keep-alive connections) are split unevenly and by chance: under wrk's 50
connections one run had 18 on one worker and 32 on the other, and in another run some
connections waited seconds (objective read p95 5.4 s, against 39-42 ms here). Here each
worker binds its own socket with SO_REUSEPORT, and the kernel spreads the connections over
them by a hash of their address and port (24 and 26). Written here because uvicorn has no
such option.

The parent holds the address with a socket that never listens (so nothing else can take the
port meanwhile, and a second `hoshin serve` on it is refused instead of sharing it), starts
the workers, starts a worker again if one dies, and stops them all on SIGINT or SIGTERM.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
import time
from multiprocessing.context import SpawnProcess
from types import FrameType

import typer
import uvicorn

from hoshin.config import settings
from hoshin.errors import HoshinError
from hoshin.runtime.proxies import proxy_options

APP = "hoshin.server:create_server"
STOP_SECONDS = 20.0  # for a worker to finish its requests after SIGTERM
PARENT_CHECK_SECONDS = 0.5  # how often a worker looks whether its parent still runs
STARTUP_SECONDS = 10.0  # a worker that dies sooner failed to start: starting again won't help


class PortTaken(HoshinError):
    """Something else listens on the address already."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` that shares the port with the other workers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def hold_address(host: str, port: int) -> socket.socket:
    """Checks that nothing uses ``host``:``port`` (a bind without SO_REUSEPORT fails if any
    socket is bound to it), then holds it for the workers; raises PortTaken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PortTaken(f"cannot listen on {host}:{port}: {error.strerror}") from None
    return listening_socket(host, port)


def run_worker(host: str, port: int, log_level: str) -> None:
    """One worker process: uvicorn on a socket of its own (stops on SIGINT or SIGTERM, and
    when the parent is gone: killed, it cannot stop its workers, which would keep the port)."""
    threading.Thread(target=_stop_with, args=(os.getppid(),), daemon=True).start()
    proxies = proxy_options(settings().trusted_proxies)  # HOSHIN_TRUSTED_PROXIES, as serve's
    config = uvicorn.Config(APP, factory=True, host=host, port=port, log_level=log_level, **proxies)
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def _stop_with(parent: int) -> None:
    """Sends this process SIGTERM (uvicorn's graceful stop) once ``parent`` has exited."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)


def serve_workers(holder: socket.socket, workers: int, log_level: str) -> None:
    """Runs ``workers`` worker processes on the address ``holder`` holds (hold_address)
    until SIGINT or SIGTERM."""
    host, port = holder.getsockname()[:2]
    stop = threading.Event()

    def stop_all(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    for kind in (signal.SIGINT, signal.SIGTERM):
        signal.signal(kind, stop_all)
    context = multiprocessing.get_context("spawn")

    def start() -> tuple[SpawnProcess, float]:
        process = context.Process(target=run_worker, args=(host, port, log_level))
        process.start()
        return process, time.monotonic()

    running = [start() for _ in range(workers)]
    try:
        while not stop.wait(0.5):
            for index, (process, started) in enumerate(running):
                if process.exitcode is None:
                    continue
                if time.monotonic() - started < STARTUP_SECONDS:
                    raise HoshinError(f"a worker exited as it started ({process.exitcode})")
                typer.echo(f"hoshin: worker {process.pid} exited ({process.exitcode}); restarting")
                running[index] = start()  # in place of the one that died
    finally:
        _stop(running)
        holder.close()


def _stop(running: list[tuple[SpawnProcess, float]]) -> None:
    """SIGTERM to every worker, then SIGKILL to any still running after STOP_SECONDS."""
    for process, _ in running:
        if process.exitcode is None:
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process, _ in running:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.exitcode is None:
            process.kill()
            process.join()
