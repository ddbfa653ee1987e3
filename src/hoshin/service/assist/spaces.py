"""The model's space for a plan's texts: each text is embedded once per process (a plan
version that changes one title embeds one title), then looked up."""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np

from hoshin.domain.assist.space import Matrix, Space, space_of
from hoshin.service.assist.embedding import DIMENSION, embed

KEPT = 400_000  # texts remembered per process (600 MB at most; 55,000 objectives: 85 MB)
_known: dict[str, Matrix] = {}
_lock = threading.Lock()


def model_space(texts: Iterable[str]) -> Space:
    """The space of ``texts`` in the shipped model (embedding those not seen before)."""
    wanted = list(dict.fromkeys(texts))
    with _lock:
        missing = [t for t in wanted if t not in _known]
    if missing:
        vectors = embed(missing)
        with _lock:
            if len(_known) + len(missing) > KEPT:
                _known.clear()
            _known.update(zip(missing, vectors, strict=True))
    with _lock:
        found = [_known.get(t) for t in wanted]
    rows = [row for row in found if row is not None]
    if len(rows) < len(wanted):  # cleared by another thread meanwhile: embed again
        return space_of(wanted, embed(wanted))
    matrix = np.vstack(rows) if rows else np.zeros((0, DIMENSION), dtype=np.float32)
    return space_of(wanted, matrix.astype(np.float32, copy=False))


def known(text: str) -> bool:
    """Whether ``text`` was embedded by this process already (no model run to look it up)."""
    with _lock:
        return text in _known
