"""A map that is another map with a few entries changed, without copying it.

An interim analysis (domain.patch) changes a handful of the 150,000 metric results, 50,000
roll-ups and 100,000 action dates of the analysis before it. Copying those maps touches
every entry (each copy takes a reference to every key and value, scattered over hundreds of
megabytes): tens of milliseconds at 50,000 people, most of what an edit's next read cost.
An overlay holds only the changes and reads through to the map below. Written here because
``collections.ChainMap`` cannot hide a key of the map below (a deleted objective) and looks
up every map of its chain for each read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

V = TypeVar("V")
DEEPEST = 8  # overlays of overlays: past this a copy, so that a read stays a few lookups


class Overlay(Mapping[str, V]):
    """``below`` with ``changed`` entries set (new keys come after its own) and ``gone``
    keys removed; read-only, like every map of an analysis."""

    __slots__ = ("_below", "_changed", "_depth", "_gone", "_length")

    def __init__(self, below: Mapping[str, V], changed: dict[str, V], gone: set[str]) -> None:
        gone = {key for key in gone if key in below and key not in changed}
        self._below = below
        self._changed = changed
        self._gone = gone
        added = sum(1 for key in changed if key not in below)
        self._length = len(below) - len(gone) + added
        self._depth: int = below._depth + 1 if isinstance(below, Overlay) else 1

    def __getitem__(self, key: str) -> V:
        if key in self._changed:
            return self._changed[key]
        if key in self._gone:
            raise KeyError(key)
        return self._below[key]

    def __contains__(self, key: object) -> bool:
        if key in self._changed:
            return True
        return key not in self._gone and key in self._below

    def __iter__(self) -> Iterator[str]:
        changed, gone = self._changed, self._gone
        for key in self._below:
            if key not in gone:
                yield key
        for key in changed:
            if key not in self._below:
                yield key

    def __len__(self) -> int:
        return self._length


def overlaid(below: Mapping[str, V], changed: dict[str, V], gone: set[str]) -> Mapping[str, V]:
    """``below`` with ``changed`` and without ``gone``: an overlay, or a plain dict once
    overlays are DEEPEST deep."""
    layer = Overlay(below, changed, gone)
    if layer._depth < DEEPEST:
        return layer
    return _flat(layer)


def _flat(top: Overlay[V]) -> dict[str, V]:
    """``top`` as a dict in its order: the bottom map copied (in C), then each layer's
    removals and changes from the bottom up; a key a layer adds goes to the end, as the
    overlay iterates it. (Reading every key through the layers took 100-200 ms at 50,000
    objectives, BENCHMARKS.md.)"""
    layers: list[Overlay[V]] = []
    below: Mapping[str, V] = top
    while isinstance(below, Overlay):
        layers.append(below)
        below = below._below
    flat = dict(below)
    for layer in reversed(layers):
        for key in layer._gone:
            del flat[key]
        flat.update(layer._changed)
    return flat
