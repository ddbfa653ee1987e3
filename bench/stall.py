"""Whether the machine itself stalled while a benchmark ran (bench/server.py)."""

from __future__ import annotations

import threading
import time


class StallProbe:
    """A thread of this script that sleeps 10 ms at a time and keeps the longest it took to
    wake up, while wrk runs. This script does nothing else meanwhile, so a long wake-up means
    the whole machine stalled (another guest on the host, the kernel reclaiming memory): a
    latency tail that shows here too is the machine's, one that does not is the server's."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> StallProbe:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        before = time.perf_counter()
        while not self._stop.wait(0.01):
            now = time.perf_counter()
            self.longest_ms = max(self.longest_ms, (now - before - 0.01) * 1000)
            before = now
