"""The words of a plan's texts: what text stands for an objective or a metric (one home, so
that every suggestion compares the same thing) and the terms two texts share."""

from __future__ import annotations

import re
from collections.abc import Iterable

from hoshin.domain.model import Metric, Objective, Plan

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")  # "don't", "customer\u2019s"
_POSSESSIVE = re.compile(r"['\u2019]s$")
# Words that say nothing about what an objective is about (English; plan content is not
# translated, and the model reads other languages less well anyway).
STOPWORDS = frozenset(
    """a about above after all also an and any are as at be been before being below between
    both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just let me more
    most my no nor not now of off on once only or other our ours out over own per same she
    should so some such than that the their them then there these they this those through
    to too under until up very was we were what when where which while who whom why will
    with would you your yours each every year years yearly annual annually month monthly
    per cent percent""".split()  # noqa: SIM905 - a paragraph of words reads better
)


def stem(word: str) -> str:
    """A word without its commonest English endings: "claims" and "claim" are one term."""
    for ending, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(ending)] + keep
    return word


def terms(text: str) -> tuple[str, ...]:
    """The meaningful terms of ``text``, lower-case and stemmed, in order (repeats kept)."""
    words = (_POSSESSIVE.sub("", w.lower()) for w in _WORD.findall(text))
    return tuple(stem(w) for w in words if w not in STOPWORDS and not w.isdigit())


def term_words(text: str) -> dict[str, str]:
    """Each term of ``text`` with the word it was first written as, lower-case ("failur":
    "failures"): what a reason names."""
    written: dict[str, str] = {}
    for word in _WORD.findall(text):
        for term in terms(word):
            written.setdefault(term, _POSSESSIVE.sub("", word.lower()))
    return written


def shared_terms(a: Iterable[str], b: Iterable[str]) -> list[str]:
    """The terms two texts share, in the first one's order, each once."""
    other = set(b)
    seen: set[str] = set()
    shared = []
    for term in a:
        if term in other and term not in seen:
            seen.add(term)
            shared.append(term)
    return shared


def metric_text(metric: Metric) -> str:
    """What a metric is about: its name and its unit of measure."""
    return metric.name if not metric.unit else f"{metric.name} ({metric.unit})"


def objective_text(objective: Objective) -> str:
    """What an objective is about: its title, then its metrics' names (a description is
    often long and general; the title and the measures say what it is)."""
    names = "; ".join(m.name for m in objective.metrics)
    return objective.title if not names else f"{objective.title}. {names}"


def plan_texts(plan: Plan) -> list[str]:
    """Every text a model space of ``plan`` must know: each objective's text and each
    metric's text, each once, in plan order."""
    texts = [objective_text(o) for o in plan.objectives]
    texts += [metric_text(m) for o in plan.objectives for m in o.metrics]
    return list(dict.fromkeys(texts))
