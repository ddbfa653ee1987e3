"""The overlap scan of an organisation's plan, made in the background of a process.

The scan compares every pair of objectives (and of metrics) of a level: minutes at 50,000
people whatever it finds (BENCHMARKS.md), too long for a request. So it is made by a daemon
thread once the plan's model space is ready, once per plan structure, space and threshold
(a check-in changes neither), and an ask waits for it only a moment (a small plan's is
done by then); until then the answer says it is not ready. Before the model's space is
ready a small plan is scanned in its lexical space at once; a large one waits for the
model's.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field

from hoshin.domain.assist.overlaps import OverlapScan
from hoshin.domain.assist.space import Space
from hoshin.domain.model import Plan
from hoshin.runtime.assist_spaces import lexical_plan_space, plan_space
from hoshin.service.analysis import Analysed
from hoshin.service.assist import suggest

log = logging.getLogger(__name__)

SCAN_WAIT = 2.0  # seconds an ask waits for a scan under way: a small plan's is done by then
LEXICAL_TEXTS = 10_000  # a plan of more objectives and metrics waits for the model's space
KEPT_SCANS = 16  # scans kept (plan versions x thresholds); each holds at most 1,000 pairs


@dataclass(eq=False)
class _Scan:
    """A scan being made (result None until done) or made."""

    structure: object  # held, so that its id is not reused while the scan is kept
    space: Space
    done: threading.Event = field(default_factory=threading.Event)
    result: OverlapScan | None = None


_lock = threading.Lock()
_scans: OrderedDict[tuple[int, int, float | None], _Scan] = OrderedDict()


def plan_overlaps(
    found: Analysed,
    *,
    org: Hashable = None,
    threshold: float | None = None,
    wait: float = SCAN_WAIT,
) -> tuple[OverlapScan | None, str]:
    """The overlaps of ``found.plan`` and the name of the space they come from ("model" or
    "lexical"); None while they are being made (in the model's space: ask again later).
    ``wait``: seconds to wait for a scan under way (default SCAN_WAIT)."""
    space = plan_space(found, org=org)
    if space is None:
        if len(found.plan.objectives) + len(found.plan.metrics()) > LEXICAL_TEXTS:
            return None, "model"
        lexical = lexical_plan_space(found, org=org)
        return suggest.overlap_scan(found.plan, space=lexical, threshold=threshold), "lexical"
    structure = found.objective_at if found.objective_at else found.plan
    key = (id(structure), id(space), threshold)
    with _lock:
        scan = _scans.get(key)
        fresh = scan is None or scan.structure is not structure or scan.space is not space
        if fresh:
            scan = _Scan(structure, space)
            _scans[key] = scan
            while len(_scans) > KEPT_SCANS:
                _scans.popitem(last=False)
        assert scan is not None
        _scans.move_to_end(key)
    if fresh:
        args = (scan, found.plan, threshold)
        threading.Thread(target=_make, args=args, name="assist-scan", daemon=True).start()
    scan.done.wait(SCAN_WAIT if wait is None else wait)
    return scan.result, "model"


def forget() -> None:
    """Forgets every scan (tests)."""
    with _lock:
        _scans.clear()


def _make(scan: _Scan, plan: Plan, threshold: float | None) -> None:
    try:
        scan.result = suggest.overlap_scan(plan, space=scan.space, threshold=threshold)
    except Exception:  # logged; the answer stays "not ready" for this version
        log.exception("the assistant's overlap scan could not be made")
    finally:
        scan.done.set()
