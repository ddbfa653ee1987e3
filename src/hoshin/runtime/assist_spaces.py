"""The model space of each organisation's plan, computed in the background of a process.

Embedding every text of a large plan takes minutes (50,000 people: 205,000 objective,
metric and situation texts, 15 minutes: BENCHMARKS.md), so no request waits for it: the
first ask for a plan starts one daemon thread and gets None (the caller answers from the
lexical space and says so); later asks get the space once it is ready, and the objectives'
part of it (all that parents and addresses read) once those texts, embedded first, are.
A space belongs to a plan's structure (the index the analysis cache shares between versions
that differ only by actuals, whose texts are the same), so a check-in needs nothing new. An
edit or an import makes a new structure: when most of its texts are in the organisation's
previous space (made or being made), the new space is that one plus the few new texts (a
renamed objective: one text, about a second at 50,000 people, which an ask waits for); a
plan whose texts are mostly new is embedded whole, one plan at a time in the process, the
smallest first. Memory is bounded by the rows kept (KEPT_ROWS).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np

from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.situation import item_text
from hoshin.domain.assist.space import Space, joined, space_of
from hoshin.domain.assist.words import objective_text, plan_texts
from hoshin.domain.model import Plan
from hoshin.service.analysis import Analysed
from hoshin.service.assist.embedding import DIMENSION, embed

log = logging.getLogger(__name__)

# An edit's space is its predecessor's rows plus a few texts embedded: ready in about a second
# at 50,000 people, so an ask waits that long rather than rank a large plan lexically.
GROW_WAIT = 1.0
# Rows of every kept space together: 600,000 x 384 float32 = 0.9 GB. A plan of 50,000 people
# has 205,000 texts, so its previous space stays while its next one is made and served.
KEPT_ROWS = 600_000
KEPT_PLANS = 64  # structures known at once (an organisation's few versions, many organisations)
CHUNK = 2048  # texts embedded between two looks at whether the space is still wanted


@dataclass(eq=False)
class _Entry:
    """The space of one plan structure: being made (space None) or ready."""

    structure: object  # held, so that its id is not reused while the entry is kept
    lineage: Hashable  # the organisation: whose spaces may serve or start this one
    size: int  # objectives: the smaller plan is embedded first
    born: int
    asked: int  # the order of the last ask: least recently asked is forgotten first
    plan: Plan | None  # until its texts are read
    texts: frozenset[str] = frozenset()  # once read, for a successor to compare with
    space: Space | None = None
    growing: bool = False  # made from its predecessor's space (an edit): ready soon
    whole: bool = False  # every text embedded (a new plan, an import): minutes at 50,000
    successor: int = 0  # born of a newer structure whose texts are mostly others
    dropped: bool = False  # stopped for a successor: asking again starts it anew
    first: int = 0  # texts[:first] are the objectives' and situation items'
    partial: Space | None = None  # of texts[:first], while the metrics' are embedded
    lexical: dict[bool, Space] = field(default_factory=dict)  # until the model's is ready
    lexical_lock: threading.Lock = field(default_factory=threading.Lock)
    decided: threading.Event = field(default_factory=threading.Event)  # growing or whole
    done: threading.Event = field(default_factory=threading.Event)


_lock = threading.Lock()
_turns = threading.Condition(_lock)  # whole embeddings, one at a time
_entries: OrderedDict[int, _Entry] = OrderedDict()  # id(structure) -> entry, LRU last
_order = itertools.count(1)
_embedding: list[_Entry] = []  # the entry whose texts are being embedded whole, if any


def plan_space(found: Analysed, *, org: Hashable = None, whole: bool = True) -> Space | None:
    """The model space of ``found.plan`` when it is ready (or the organisation's previous
    one while an edit's is made); else None, having started the thread that makes it.
    ``org`` names the organisation (default: the plan's organisation name). ``whole=False``:
    a space that knows at least the objectives' and situation items' texts (parents and
    addresses need no more), ready before the metrics' texts are embedded."""
    entry = _asked(found, org)
    if entry.space is None and entry.decided.wait(GROW_WAIT) and entry.growing:
        entry.done.wait(GROW_WAIT)
    if entry.space is not None:
        return entry.space
    if not whole and entry.partial is not None:
        return entry.partial
    return _serving(entry)


def lexical_plan_space(found: Analysed, *, org: Hashable = None, whole: bool = True) -> Space:
    """The fallback while the model's space is made: the TF-IDF space of the plan's texts
    (``whole=False``: of its objectives' and situation items' only, a quarter of the texts
    at 50,000 people), made once per plan structure on the asker's thread (seconds at 50,000
    people; concurrent askers wait for the first) and forgotten with the model's space."""
    entry = _asked(found, org)
    with entry.lexical_lock:
        lexical = entry.lexical.get(whole)
        if lexical is None:
            texts = space_texts(found.plan)
            lexical = lexical_space(texts if whole else texts[: _first_part(found.plan)])
            with _lock:  # not kept past the model's space (_ready)
                if entry.space is None:
                    entry.lexical[whole] = lexical
    return lexical


def wait_for_space(found: Analysed, timeout: float, *, org: Hashable = None) -> Space | None:
    """The model space of ``found.plan``, waiting at most ``timeout`` seconds for it (None
    if it is not ready by then: it goes on being made)."""
    entry = _asked(found, org)
    entry.done.wait(timeout)
    return entry.space


def settled(timeout: float) -> bool:
    """Waits until no space is being made, at most ``timeout`` seconds in all (tests and
    benchmarks); whether none is."""
    deadline = time.monotonic() + timeout
    with _lock:
        making = [e for e in _entries.values() if not e.done.is_set()]
    return all(e.done.wait(max(0.0, deadline - time.monotonic())) for e in making)


def forget() -> None:
    """Forgets every space (tests; computations under way stop at their next chunk)."""
    with _lock:
        for entry in _entries.values():
            entry.dropped = True
        _entries.clear()


def space_texts(plan: Plan) -> list[str]:
    """The texts a plan's space knows, each once: its situation items' (what addresses
    compare with the objectives), then words.plan_texts (the objectives', then the
    metrics': parents read the first, overlaps both)."""
    return list(dict.fromkeys([*(item_text(i) for i in plan.situation), *plan_texts(plan)]))


def _first_part(plan: Plan) -> int:
    """How many of space_texts(plan) come before the metrics' texts."""
    items = (item_text(i) for i in plan.situation)
    return len(dict.fromkeys([*items, *(objective_text(o) for o in plan.objectives)]))


def _asked(found: Analysed, org: Hashable) -> _Entry:
    # The cache's index map is shared by every version that changed only actuals; an
    # analysis made elsewhere (no index) has a plan of its own.
    structure = found.objective_at if found.objective_at else found.plan
    lineage = org if org is not None else found.plan.organization.name
    with _lock:
        order = next(_order)
        entry = _entries.get(id(structure))
        if entry is not None and entry.structure is structure and not entry.dropped:
            entry.asked = order
            _entries.move_to_end(id(structure))
            return entry
        size = len(found.plan.objectives)
        entry = _Entry(structure, lineage, size, order, order, found.plan)
        _entries[id(structure)] = entry
        while len(_entries) > KEPT_PLANS:
            _entries.popitem(last=False)[1].dropped = True
    threading.Thread(target=_make, args=(entry,), name="assist-space", daemon=True).start()
    return entry


def _serving(entry: _Entry) -> Space | None:
    """While ``entry`` is made from its predecessor, the predecessor's space if it knows
    every text of ``entry`` (a removed objective or a changed actual: nothing new)."""
    with _lock:
        previous = _previous(entry)
    if previous is None or previous.space is None or not entry.texts:
        return None
    return previous.space if entry.texts <= previous.texts else None


def _previous(entry: _Entry) -> _Entry | None:
    """The newest other structure of ``entry``'s organisation born before it (_lock held)."""
    older = [
        e
        for e in _entries.values()
        if e.lineage == entry.lineage and e.born < entry.born and not e.dropped
    ]
    return max(older, key=lambda e: e.born, default=None)


def _make(entry: _Entry) -> None:
    try:
        plan = entry.plan
        assert plan is not None
        texts = space_texts(plan)
        with _lock:
            entry.texts, entry.plan = frozenset(texts), None  # the plan is the cache's
            entry.first = _first_part(plan)
            previous = _previous(entry)
            if previous is not None and len(entry.texts - previous.texts) * 2 <= len(texts):
                entry.growing = True
            else:
                entry.whole = True
                if previous is not None:
                    previous.successor = entry.born
        entry.decided.set()
        space = None
        if previous is not None and entry.growing:
            previous.done.wait()  # being made still: this one's are the few texts more
            if previous.space is not None:
                space = _grown(texts, previous.space)
            else:
                with _lock:
                    entry.growing, entry.whole = False, True
        if space is None:
            space = _embedded_whole(entry, texts)
        if space is not None:
            _ready(entry, space)
    except Exception:  # a broken model installation: the assistant stays lexical
        log.exception("the assistant's space of %r could not be made", entry.lineage)
    finally:
        entry.plan = None
        entry.decided.set()
        entry.done.set()


def _grown(texts: list[str], base: Space) -> Space:
    """A space that knows ``texts``: ``base`` with the texts it lacks embedded now. Rows
    of texts no longer in the plan stay (a superset serves) until they are a quarter of
    it; then the space is made compact (only ``texts``, in order)."""
    missing = [t for t in texts if t not in base]
    if not missing:
        return base  # an objective deleted, say: every text is known already
    vectors = embed(missing)
    stale = len(base.rows) - (len(texts) - len(missing))
    if stale * 4 <= len(texts):  # one copy of the matrix, and no lookups per text
        return joined(base, space_of(missing, vectors))
    at = np.fromiter((base.rows.get(t, -1) for t in texts), dtype=np.intp, count=len(texts))
    matrix = base.matrix.take(np.maximum(at, 0), axis=0)
    matrix[at < 0] = vectors  # the missing texts, in the same order
    return space_of(texts, matrix)


def _embedded_whole(entry: _Entry, texts: list[str]) -> Space | None:
    """Every text embedded, in its turn; None if stopped for a successor meanwhile."""
    if not _take_turn(entry):
        return None
    try:
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(texts), CHUNK):
            with _lock:
                if _stopped(entry):
                    return None
            vectors[start : start + CHUNK] = embed(texts[start : start + CHUNK])
            if entry.partial is None and start + CHUNK >= entry.first:
                # The objectives' rows are final: parents and addresses may use them now
                # (a view: nothing is copied), while the metrics' are embedded.
                first = texts[: entry.first]
                with _lock:
                    entry.partial = space_of(first, vectors[: entry.first])
        return space_of(texts, vectors)
    finally:
        with _turns:
            _embedding.clear()
            _turns.notify_all()


def _take_turn(entry: _Entry) -> bool:
    """Waits until no other plan is being embedded and none smaller waits; False if
    ``entry`` was stopped meanwhile."""
    with _turns:
        while True:
            if _stopped(entry):
                return False
            waiting = [e for e in _entries.values() if e.whole and not e.done.is_set()]
            first = min(waiting, key=lambda e: (e.size, e.born), default=entry)
            if not _embedding and first is entry:
                _embedding.append(entry)
                return True
            _turns.wait(0.5)  # an entry dropped without a notify is seen within this


def _stopped(entry: _Entry) -> bool:
    """Whether ``entry`` is no longer wanted (_lock held): forgotten, or its organisation's
    newer structure, mostly of other texts, was born after anyone last asked for it (an
    import right after another; two organisations of one name both asking keep theirs)."""
    kept = _entries.get(id(entry.structure)) is entry
    if entry.dropped or not kept or entry.successor > entry.asked:
        entry.dropped = True
        if kept:
            del _entries[id(entry.structure)]
    return entry.dropped


def _ready(entry: _Entry, space: Space) -> None:
    with _lock:
        entry.space, entry.partial, entry.lexical = space, None, {}
        kept = {id(e.space): len(e.space.matrix) for e in _entries.values() if e.space}
        rows = sum(kept.values())  # a space shared by two versions counts once
        for key, old in list(_entries.items()):  # least recently asked first
            if rows <= KEPT_ROWS:
                break
            if old.space is not None and old is not entry:
                if not any(e.space is old.space for e in _entries.values() if e is not old):
                    rows -= len(old.space.matrix)
                old.dropped = True
                del _entries[key]
