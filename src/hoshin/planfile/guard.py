"""Cheap scans that let the fast parser read a plan file only when it cannot go past the
bounds on nesting and on what aliases repeat (locate.MAX_DEPTH, locate.alias_budget).

yaml-rs limits flow nesting ([[[...) and how many events its aliases replay, but it
overflows its stack on block nesting some 10,000 deep, and it copies an aliased 10 KB
string 50,000 times in full. Two scans in C speed look for what could go past the bounds:
a line indented by WIDE columns or more, and aliases that may repeat more text than the
file holds. When one cannot vouch for the file, locate.walk checks it exactly.
"""

from __future__ import annotations

import re

import yaml_rs

from hoshin.planfile.locate import MAX_DEPTH, Refused, alias_budget, walk

# Each level of block nesting starts at least half a column further right, so lines indented
# (by spaces and - ? : indicators) fewer columns than this open at most ~MAX_DEPTH levels.
WIDE = MAX_DEPTH // 2


def check_yaml(text: str) -> None:
    """Raises ``Refused`` (or ``yaml.YAMLError``) when ``text`` nests deeper than MAX_DEPTH
    or its aliases repeat more than ``alias_budget``; cheap for a file that cannot."""
    if _wide_indent(text) or not _aliases_within(text, alias_budget(text)):
        walk(text)


def alias_limits(text: str) -> yaml_rs.AliasLimits:
    """yaml-rs's own limit on replayed events, above what ``alias_budget`` lets through (an
    event takes at least half a character), so that it only catches what a scan misses."""
    return yaml_rs.AliasLimits(max_total_replayed_events=2 * alias_budget(text) + 1000)


# Bytes as classes: s for what may indent a block node (space, tab, - ? :), n for a line
# break, x for anything else. A line whose first WIDE bytes are all s is wide.
_CLASSES = bytes(
    ord("s") if b in b" \t-?:" else ord("n") if b in b"\r\n" else ord("x") for b in range(256)
)


def _wide_indent(text: str) -> bool:
    """Whether some line may start a block node WIDE columns or more to the right."""
    start = 1 if text.startswith("\ufeff") else 0
    classes = text[start:].encode("utf-8", "surrogatepass").translate(_CLASSES)
    return classes.startswith(b"s" * WIDE) or classes.find(b"n" + b"s" * WIDE) >= 0


# An anchor's or alias's name runs to a space, tab, line break or flow indicator, as yaml-rs
# reads it. Matches overlap (a look-ahead), so no real alias hides inside another match.
_NAME = r"(?=([^ \t\r\n,\[\]{}]+))"
_ANCHOR = re.compile("&" + _NAME)
_ALIAS = re.compile(r"\*" + _NAME)


def _aliases_within(text: str, budget: int) -> bool:
    """Whether the aliases surely repeat at most ``budget`` characters, nested at most two
    deep, judged from where ``&name`` and ``*name`` appear (in comments and strings too).

    An alias repeats a node that ends before the alias and begins at or after the first
    ``&name``: at most the text between the two, plus what the aliases in there repeat,
    but for its own aliases when ``&name`` appears once (inside its node they read null).
    """
    if "*" not in text:
        return True
    first: dict[str, int] = {}
    twice: set[str] = set()
    for match in _ANCHOR.finditer(text):
        if first.setdefault(match.group(1), match.start()) != match.start():
            twice.add(match.group(1))
    if not first:
        return True  # an alias with no anchor is an error to yaml-rs, not an expansion
    starts = sorted((at, name) for name, at in first.items())
    repeated = 0  # characters the aliases seen so far repeat
    before: dict[str, int] = {}  # name -> characters repeated before its first anchor
    own: dict[str, int] = {}  # name -> characters its own aliases repeated
    last, nested = _Last(), _Last()  # the last alias, the last one that held another
    passed = 0
    for match in _ALIAS.finditer(text):
        at, name = match.start(), match.group(1)
        while passed < len(starts) and starts[passed][0] < at:
            before[starts[passed][1]] = repeated
            passed += 1
        anchor = first.get(name, at)
        if anchor >= at:
            continue  # no anchor before it: yaml-rs refuses the alias
        alone = None if name in twice else name
        if nested.after(anchor, but=alone):
            return False  # aliases three deep: the walk counts how deep they nest
        inner = repeated - before[name] - (own.get(name, 0) if alone else 0)
        weight = at - anchor + inner
        repeated += weight
        own[name] = own.get(name, 0) + weight
        if repeated > budget:
            return False
        if last.after(anchor, but=alone):
            nested.note(at, name)
        last.note(at, name)
    return True


class _Last:
    """Where the last alias of some kind is, and the last one named otherwise than it."""

    def __init__(self) -> None:
        self.at, self.name, self.other = -1, "", -1

    def note(self, at: int, name: str) -> None:
        """Another alias of the kind, at ``at``."""
        if name != self.name:
            self.other = self.at
        self.at, self.name = at, name

    def after(self, start: int, *, but: str | None) -> bool:
        """Whether one not named ``but`` is after ``start``."""
        return (self.other if self.name == but else self.at) > start


_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(\[|\{)|(\]|\})')


def json_too_deep(text: str) -> Refused:
    """Where a JSON text goes deeper than MAX_DEPTH (when its decoder ran out of recursion)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        if match.group(1):
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                return Refused(line, f"nested deeper than {MAX_DEPTH} levels")
        elif match.group(2):
            depth -= 1
    return Refused(1, "nested too deep to read")
