"""Walks a plan file's YAML (or JSON) events from libyaml: the line of each value to report,
and the exact check of the bounds on nesting and on what aliases repeat.

The walk needs no recursion and builds no tree, so a file nested a million deep costs it
no more than a flat one; it stops at the first level past MAX_DEPTH.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from hoshin.planfile.schema import shown

MAX_DEPTH = 64  # a plan nests 7 deep; every parser and the reader are safe far beyond
ALIAS_FLOOR = 1_000_000  # characters aliases may always repeat, however small the file


class Refused(Exception):
    """A file past one of the bounds, or with a key given twice, at a line (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


def alias_budget(text: str) -> int:
    """How many characters the aliases of ``text`` may repeat: as many as the file holds."""
    return max(len(text), ALIAS_FLOOR)


@dataclass(slots=True)
class _Trie:
    """The paths asked for, as a tree, with the line each part was found at (0-based)."""

    children: dict[Any, _Trie]
    line: int | None = None

    def child(self, key: str | None, index: int | None) -> _Trie | None:
        """The part a mapping's key or a sequence's item matches (by index, then value)."""
        found = None if index is None else self.children.get(index)
        if found is None and key is not None:
            found = self.children.get(key)
            if found is None and key.isdecimal():
                found = self.children.get(int(key))
        return found


@dataclass(slots=True)
class _Open:
    """A mapping or sequence being walked."""

    is_map: bool
    level: int  # 1 for the document's collection
    deepest: int  # the deepest level reached inside it, through aliases too
    start: int  # the index of its first character
    anchor: str | None
    repeated: int  # characters repeated by aliases before it began
    trie: _Trie | None
    count: int = 0  # children seen: a mapping's keys and values in turn
    value_trie: _Trie | None = None  # where the path goes through the current key's value
    keys: set[tuple[Any, ...]] | None = None  # a mapping's scalar keys, for duplicates


# What libyaml refuses to read (controls, surrogates) and reads as a line break where
# yaml-rs does not (NEL, LS, PS): one ordinary character each, so lines and columns stay.
_UNREADABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)


def walk(text: str, paths: Sequence[Sequence[Any]] = ()) -> list[int]:
    """The 1-based line of each of ``paths`` (of the deepest part found); raises
    ``Refused`` past a bound or for a key given twice, ``yaml.YAMLError`` for a file
    libyaml cannot read."""
    root = _Trie({})
    for path in paths:
        node = root
        for part in path:
            node = node.children.setdefault(part, _Trie({}))
    budget = alias_budget(text)
    anchors: dict[str, tuple[int, int]] = {}  # name -> (characters, levels inside)
    stack: list[_Open] = []
    repeated = documents = 0
    for event in yaml.parse(_UNREADABLE.sub("_", text), Loader=yaml.CSafeLoader):
        line, index = _at(event.start_mark)
        trie = None
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
        elif isinstance(event, yaml.NodeEvent):
            trie = _place(stack, event, root if documents == 1 else None)
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise Refused(line + 1, f"nested deeper than {MAX_DEPTH} levels")
            is_map = isinstance(event, yaml.MappingStartEvent)
            level = len(stack) + 1
            keys: set[tuple[Any, ...]] | None = set() if is_map else None
            stack.append(
                _Open(is_map, level, level, index, event.anchor, repeated, trie, keys=keys)
            )
        elif isinstance(event, yaml.CollectionEndEvent):
            done = stack.pop()
            if stack:
                stack[-1].deepest = max(stack[-1].deepest, done.deepest)
            if done.anchor is not None:
                size = _at(event.end_mark)[1] - done.start + repeated - done.repeated
                anchors[done.anchor] = (size, done.deepest - done.level + 1)
        elif isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
            anchors[event.anchor] = (_at(event.end_mark)[1] - index, 0)
        elif isinstance(event, yaml.AliasEvent):
            size, inside = anchors.get(event.anchor or "", (0, 0))
            repeated += size
            if repeated > budget:
                raise Refused(
                    line + 1,
                    f"the aliases repeat more than {budget:,} characters, the most this "
                    f"file may (its size, and {ALIAS_FLOOR:,} at least)",
                )
            if len(stack) + inside > MAX_DEPTH:
                raise Refused(line + 1, f"nested deeper than {MAX_DEPTH} levels through aliases")
            if stack:
                stack[-1].deepest = max(stack[-1].deepest, len(stack) + inside)
    return [_line(root, path) for path in paths]


def _at(mark: Any) -> tuple[int, int]:
    """(0-based line, index of the character) of a mark."""
    return (0, 0) if mark is None else (mark.line, mark.index)


def _place(stack: list[_Open], event: yaml.NodeEvent, root: _Trie | None) -> _Trie | None:
    """Counts a node into its parent; the part of the asked paths it is (its line noted)."""
    line = _at(event.start_mark)[0]
    if not stack:
        if root is not None and root.line is None:
            root.line = line
        return root
    parent = stack[-1]
    parent.count += 1
    if not parent.is_map:
        scalar = event.value if isinstance(event, yaml.ScalarEvent) else None
        found = None if parent.trie is None else parent.trie.child(scalar, parent.count - 1)
        if found is not None and found.line is None:
            found.line = line
        return found
    if parent.count % 2 == 0:  # a value: its path went through its key
        return parent.value_trie
    parent.value_trie = None
    if isinstance(event, yaml.ScalarEvent):
        key = (event.tag, event.style in (None, ""), event.value)
        if parent.keys is not None:
            if key in parent.keys:
                raise Refused(line + 1, f"not valid YAML: key {shown(event.value)} appears twice")
            parent.keys.add(key)
        if parent.trie is not None:
            parent.value_trie = parent.trie.child(event.value, None)
            if parent.value_trie is not None and parent.value_trie.line is None:
                parent.value_trie.line = line
    return None


def _line(root: _Trie, path: Sequence[Any]) -> int:
    """The line of the deepest part of ``path`` that was found (the line of a map's key)."""
    line = root.line or 0
    node = root
    for part in path:
        found = node.children.get(part)
        if found is None or found.line is None:
            break
        line, node = found.line, found
    return line + 1
