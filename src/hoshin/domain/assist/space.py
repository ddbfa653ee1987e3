"""Texts as unit vectors: a dot product of two rows is their cosine similarity. The vectors
come from outside (the shipped model, or the lexical baseline); this module only looks them
up and compares them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Space:
    """Each known text's row in ``matrix`` (rows L2-normalised); ``name`` says whose vectors
    they are ("model" or "lexical")."""

    rows: Mapping[str, int]
    matrix: Matrix
    name: str = "model"

    def __contains__(self, text: object) -> bool:
        return text in self.rows

    def vector(self, text: str) -> Matrix:
        """The row of ``text``; KeyError when the space does not know it."""
        row: Matrix = self.matrix[self.rows[text]]
        return row

    def stack(self, texts: Sequence[str]) -> Matrix:
        """The rows of ``texts``, in order, as one matrix (shape (len(texts), dimension))."""
        return self.matrix[[self.rows[t] for t in texts]] if texts else self.matrix[:0]

    def similarity(self, a: str, b: str) -> float:
        """The cosine similarity of two known texts, in [-1, 1]."""
        return float(self.vector(a) @ self.vector(b))


def space_of(texts: Sequence[str], matrix: Matrix, name: str = "model") -> Space:
    """The space of ``texts`` whose vectors are ``matrix``'s rows, in order (a text given
    twice keeps its first row)."""
    rows: dict[str, int] = {}
    for at, text in enumerate(texts):
        rows.setdefault(text, at)
    return Space(rows, matrix, name)


def joined(a: Space, b: Space) -> Space:
    """The texts of both spaces in one (``a``'s row where both know a text); the name is
    ``a``'s, and both must be of the same vectors."""
    extra = [text for text in b.rows if text not in a.rows]
    if not extra:
        return a
    rows = dict(a.rows)
    rows.update((text, len(a.matrix) + at) for at, text in enumerate(extra))
    matrix = np.vstack([a.matrix, b.stack(extra)]).astype(np.float32, copy=False)
    return Space(rows, matrix, a.name)
