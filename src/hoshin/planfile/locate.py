"""Finds the line of a value in a plan file from its path, when there is a problem to report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml


class LineFinder:
    """Maps a path like ``("objectives", 2, "metrics", 0, "target")`` to a 1-based line.

    The YAML (or JSON, which YAML reads too) is composed into nodes only on the first
    question, so a file without problems never pays for it.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._composed = False

    def line(self, path: Sequence[Any]) -> int:
        """The line of the deepest node the path reaches (the line of the key for a map entry)."""
        node = self._compose()
        if node is None:
            return 1
        line = node.start_mark.line
        for part in path:
            found = _child(node, part)
            if found is None:
                break
            key_line, node = found
            line = key_line
        return line + 1

    def _compose(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self._text, Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                self._root = None
        return self._root


def _child(node: yaml.Node, part: Any) -> tuple[int, yaml.Node] | None:
    """(line of the key or item, value node) of ``part`` under ``node``."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key.start_mark.line, value
    elif isinstance(node, yaml.SequenceNode):
        if isinstance(part, int) and 0 <= part < len(node.value):
            item = node.value[part]
            return item.start_mark.line, item
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.value == str(part):
                return item.start_mark.line, item
    return None
