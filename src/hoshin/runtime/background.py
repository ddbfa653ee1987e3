"""Work of the analysis cache off the request path: a daemon thread with a session of its own.

After a change to a large plan the server answers at once with an interim analysis and
makes the exact one here (service.analysis). The work only reads; its session is closed
(its transaction rolled back) when it ends. A failure is logged and forgotten: the next
read of the organisation starts the work again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from hoshin.runtime.engine import reads

log = logging.getLogger(__name__)
START_AFTER_SECONDS = 0.05


def in_background(sessions: sessionmaker[Session]) -> Callable[[Callable[[Session], None]], None]:
    """A runner of ``work(session)`` in a daemon thread, with a reading session of its own."""

    def run(work: Callable[[Session], None]) -> None:
        def target() -> None:
            # The request that started the work finishes first: once running, the work
            # holds the interpreter for most of each switch interval, and the request's last
            # milliseconds (the interim analysis, its JSON) took twice as long beside it.
            time.sleep(START_AFTER_SECONDS)
            try:
                with sessions() as session:
                    reads(session)
                    work(session)
            except Exception:
                log.exception("the analysis in the background failed")

        threading.Thread(target=target, name="analysis", daemon=True).start()

    return run
