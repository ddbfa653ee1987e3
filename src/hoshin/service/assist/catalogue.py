"""The metric catalogue shipped with hoshin (catalogue.yaml), searched by meaning: the
shipped model's similarity of a question to each indicator's name and definition, with a
small boost for the words they share exactly (an abbreviation such as OEE or DSO, a term
of the trade the model reads loosely).

The model's vectors of the catalogue's texts ship beside it (catalogue.npz): embedding 214
definitions takes seconds, a search must not. After editing catalogue.yaml, write them
again with ``python -m hoshin.service.assist.catalogue``; until then they are stale, and
each process embeds the texts once, on its first search."""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from hoshin.domain.assist.catalogue import SECTORS, Kpi, kpis_of
from hoshin.domain.assist.space import Matrix
from hoshin.domain.assist.words import terms
from hoshin.domain.text import LONGEST, text_problem
from hoshin.errors import InvalidInput
from hoshin.service.assist.embedding import MODEL
from hoshin.service.assist.spaces import model_space

FILE = "catalogue.yaml"
VECTORS = "catalogue.npz"  # the model's vectors of the indicators' texts (float16)
# The weight of the exact words shared, against the model's similarity: enough to put the
# indicator that names the asked abbreviation first, too little to outrank meaning.
LEXICAL = 0.2
# A definition's words count half a name's: a definition names its denominator too.
DEFINITION_WORD = 0.5
# metric_for's floor: below it the best indicator is a guess, not an answer. Over the 80
# objective titles of the labelled plans (tests/assist/), 33 of the 36 that scored 0.4 or
# more had a fitting best indicator; between 0.3 and 0.4 about half did; vague titles ("Be
# world-class", "Go green") and unrelated ones score under 0.3.
FLOOR = 0.4
MOST = 50  # indicators one search returns at most


@lru_cache(maxsize=1)
def catalogue() -> tuple[Kpi, ...]:
    """The shipped catalogue's indicators, in file order (read and checked once)."""
    text = (resources.files("hoshin.service.assist") / FILE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return kpis_of(yaml.load(text, Loader=loader), source=FILE)


log = logging.getLogger(__name__)


def fingerprint(texts: list[str]) -> str:
    """What the shipped vectors were made from: the model and the texts, hashed."""
    return hashlib.sha256("\n".join([MODEL, *texts]).encode()).hexdigest()


def shipped_vectors(texts: list[str]) -> Matrix | None:
    """The shipped vectors of ``texts``, or None when they are missing or were made from
    other texts or another model."""
    try:
        with (resources.files("hoshin.service.assist") / VECTORS).open("rb") as file:
            shipped = np.load(file, allow_pickle=False)
            made_from, vectors = str(shipped["fingerprint"]), shipped["vectors"]
    except (OSError, KeyError, ValueError):
        return None
    if made_from != fingerprint(texts) or vectors.shape[0] != len(texts):
        log.warning("%s is stale: write it again (python -m %s)", VECTORS, __name__)
        return None
    rows = vectors.astype(np.float32)  # float16 on disk: unit rows again to 1e-7
    normalised: Matrix = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return normalised


@lru_cache(maxsize=1)
def _matrix() -> Matrix:
    """The model's vectors of the indicators' texts, one row per indicator, in order: the
    shipped ones while they are current, else embedded now."""
    texts = [kpi.text() for kpi in catalogue()]
    shipped = shipped_vectors(texts)
    return shipped if shipped is not None else model_space(texts).stack(texts)


def write_vectors(path: Path) -> None:
    """Writes the model's vectors of the catalogue's texts to ``path`` (the shipped file)."""
    texts = [kpi.text() for kpi in catalogue()]
    vectors = model_space(texts).stack(texts).astype(np.float16)
    np.savez_compressed(path, vectors=vectors, fingerprint=np.array(fingerprint(texts)))


@lru_cache(maxsize=1)
def _words() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Each indicator's name terms and its definition's other terms."""
    found = []
    for kpi in catalogue():
        name = frozenset(terms(kpi.name))
        found.append((name, frozenset(terms(kpi.definition)) - name))
    return tuple(found)


def _checked_query(query: str) -> str:
    """The query, stripped; InvalidInput when it is empty, too long or holds a control."""
    query = query.strip()
    if not query:
        raise InvalidInput(
            "the search for a metric is empty: say what you want to measure, "
            "e.g. 'patients waiting too long in the emergency department'"
        )
    wrong = text_problem(query, "description")
    if wrong is not None:
        raise InvalidInput(f"the search for a metric {wrong}")
    return query


def _checked_sector(sector: str | None) -> str | None:
    if sector is not None and sector not in SECTORS:
        raise InvalidInput(f"unknown sector '{sector}': one of {', '.join(SECTORS)}")
    return sector


def scores(query: str) -> list[float]:
    """How well each indicator of the catalogue answers ``query`` (0..1), in catalogue order."""
    vector = model_space([query]).vector(query)
    meaning = np.clip(_matrix() @ vector, 0.0, 1.0)
    asked = set(terms(query))
    found = []
    for similarity, (name, definition) in zip(meaning.tolist(), _words(), strict=True):
        shared = len(asked & name) + DEFINITION_WORD * len(asked & definition)
        exact = shared / len(asked) if asked else 0.0
        found.append((1 - LEXICAL) * similarity + LEXICAL * exact)
    return found


def search_metrics(
    query: str, *, top: int = 5, sector: str | None = None
) -> list[tuple[Kpi, float]]:
    """The ``top`` indicators that best answer ``query`` (of ``sector`` only, when given),
    best first, each with its score in 0..1; InvalidInput for an empty or too long query,
    an unknown sector or a ``top`` outside 1..50."""
    query = _checked_query(query)
    sector = _checked_sector(sector)
    if not 1 <= top <= MOST:
        raise InvalidInput(f"top: {top} is not between 1 and {MOST}")
    ranked = [
        (kpi, round(score, 3))
        for kpi, score in zip(catalogue(), scores(query), strict=True)
        if sector is None or kpi.sector == sector
    ]
    ranked.sort(key=lambda found: -found[1])  # stable: equal scores keep catalogue order
    return ranked[:top]


def metric_for(text: str) -> Kpi | None:
    """The indicator that best measures ``text`` (an objective's title, say), or None when
    none scores FLOOR or more; None for an empty text too."""
    text = text.strip()[: LONGEST["description"]]
    if not text or text_problem(text, "description") is not None:
        return None
    best = search_metrics(text, top=1)[0]
    return best[0] if best[1] >= FLOOR else None


def catalogue_of(sector: str | None = None) -> tuple[Kpi, ...]:
    """The catalogue's indicators (of ``sector`` only, when given); InvalidInput for an
    unknown sector."""
    sector = _checked_sector(sector)
    return tuple(kpi for kpi in catalogue() if sector is None or kpi.sector == sector)


if __name__ == "__main__":  # after editing catalogue.yaml: the shipped vectors again
    write_vectors(Path(__file__).with_name(VECTORS))
