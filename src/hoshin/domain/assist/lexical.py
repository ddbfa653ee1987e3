"""The lexical space: TF-IDF vectors of texts' terms, the plain baseline the model is
measured against and the fallback while a plan's model space is being computed."""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

from hoshin.domain.assist.space import Matrix, Space, space_of
from hoshin.domain.assist.words import terms

# Dense rows must fit in memory for the 50,000-person plan's 350,000 texts: above this many
# cells the terms are hashed into fewer columns (a rare collision adds a little similarity).
CELLS = 64_000_000
MIN_COLUMNS = 256


def lexical_space(texts: Sequence[str]) -> Space:
    """The TF-IDF space of ``texts``: raw term counts times smooth idf
    (ln((1 + n) / (1 + df)) + 1), each row L2-normalised; name "lexical"."""
    unique = list(dict.fromkeys(texts))
    counts = [Counter(terms(text)) for text in unique]
    df: Counter[str] = Counter()
    for count in counts:
        df.update(count.keys())
    n = len(unique)
    idf = {term: math.log((1 + n) / (1 + seen)) + 1 for term, seen in df.items()}
    width = max(1, len(df))
    hashed = n * width > CELLS
    if hashed:
        width = max(MIN_COLUMNS, CELLS // n)
    column = {term: (_bucket(term, width) if hashed else at) for at, term in enumerate(df)}
    matrix: Matrix = np.zeros((n, width), dtype=np.float32)
    for row, count in enumerate(counts):
        weights = {term: times * idf[term] for term, times in count.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if norm == 0:
            continue  # a text of stop words only: a zero row, similar to nothing
        for term, weight in weights.items():
            matrix[row, column[term]] += weight / norm
    if hashed:  # collisions within a row changed its length: make every row unit again
        lengths = np.linalg.norm(matrix, axis=1, keepdims=True)
        np.divide(matrix, lengths, out=matrix, where=lengths > 0)
    return space_of(unique, matrix, "lexical")


def _bucket(term: str, width: int) -> int:
    # crc32, not hash(): the same column in every process (hash() is salted per process)
    return zlib.crc32(term.encode()) % width
