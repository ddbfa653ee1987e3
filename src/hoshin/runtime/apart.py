"""Long document work in a process of its own, so that the server's other requests go on.

The workbook of a large plan is minutes of pure Python (openpyxl spends about 10 µs a
cell; 9 million target rows at 50,000 people). Run in a thread of a server process, it
holds the interpreter lock in turns with the requests beside it: with one workbook being
made, the process's other reads went from a p95 of 8 ms to 169 ms (BENCHMARKS.md). So the
server makes it in a child process forked from the worker: the child starts with the plan
and its analysis already in memory (nothing is copied or pickled up front, the pages are
shared until written), uses a core of its own, writes the bytes back through a pipe, and
exits; the request's thread waits on the pipe without the interpreter lock.

Only pure work is done apart (the domain and the file writers: no database, no threads,
no C library that keeps locks of its own), which is what makes a fork from a threaded
process safe: the child runs nothing that another thread of the parent may have held a
lock of at the fork. Written here because multiprocessing's pools pickle their arguments
(seconds and a second copy for a plan of 50,000 people) or, with fork, keep a pool whose
processes would hold an old plan.
"""

from __future__ import annotations

import os
import pickle
import warnings
from collections.abc import Callable

from hoshin.errors import HoshinError

_DONE, _FAILED = b"0", b"1"


def made_apart(work: Callable[[], bytes]) -> bytes:
    """``work()``, run in a forked child process; its HoshinError is raised here as it was
    raised there, any other failure as a RuntimeError naming it."""
    if not hasattr(os, "fork"):  # not on this platform: in the thread, as before
        return work()
    readable, writable = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12 warns of any fork in a process with threads; see the module's note.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:  # pragma: no cover - the child's part; coverage does not follow a fork
        os.close(readable)
        _child(work, writable)
    os.close(writable)
    with os.fdopen(readable, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(child, 0)
    if answer[:1] == _DONE:
        return answer[1:]
    if answer[:1] == _FAILED:
        error = pickle.loads(answer[1:])
        raise error
    raise RuntimeError("the document's process ended without an answer")


def _child(work: Callable[[], bytes], writable: int) -> None:  # pragma: no cover
    """Runs ``work`` and writes its bytes (or its HoshinError) to ``writable``; never returns:
    the child exits without running the parent's exit handlers or flushing its buffers."""
    code = 0
    try:
        try:
            answer = _DONE + work()
        except HoshinError as error:
            answer = _FAILED + pickle.dumps(error)
        except BaseException as error:  # told to the parent, which raises it
            answer = _FAILED + pickle.dumps(RuntimeError(f"{type(error).__name__}: {error}"))
        with os.fdopen(writable, "wb") as pipe:
            pipe.write(answer)
    except BaseException:  # the pipe is gone: the parent says so
        code = 1
    finally:
        os._exit(code)
