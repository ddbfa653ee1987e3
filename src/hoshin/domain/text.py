"""What text any door takes: the longest value of each kind of field, and no control
characters (tab and line breaks only in multi-line text); an id from a fixed alphabet. One
rule for the plan file, the API, the pages and the CLI; PostgreSQL cannot store NUL, and no
field needs the rest."""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["id", "line", "description", "text", "email", "password"]
# The longest value of each kind, in characters.
LONGEST: dict[Kind, int] = {
    "id": 64,  # an entity's id in a plan: also a path segment, a link's target, a file's key
    "line": 300,  # a title, a name, a unit of measure: one line
    "description": 10_000,  # of a plan's entity: a description, a risk, a cause; several lines
    "text": 20_000,  # a note, the minutes of a review, a comment: several lines
    "email": 320,  # RFC 5321's limit on a forward path
    "password": 1_000,
}
MULTI_LINE: frozenset[Kind] = frozenset({"description", "text"})
# An id is ASCII letters, digits, '.', '_' and '-', and starts with a letter or a digit: it
# is a path segment as typed ('.' and '..' are not), a relative link (no ':'), one of a list
# typed with commas, and one spelling of one id (no Unicode look-alikes or normal forms).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ID = re.compile(ID_PATTERN[1:-1])
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]")
# C0 controls and DEL; a multi-line field also keeps tab, line feed and carriage return.
# C1 controls (U+0080-U+009F) are refused too: no one types them, terminals obey them.
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# For the JSON schema of the API: the same rule as a pattern (clients can check it too).
PATTERN: dict[bool, str] = {
    False: r"^[^\x00-\x1f\x7f-\x9f]*$",
    True: r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
}


def control_character(value: str, *, multi_line: bool = False) -> str | None:
    """The first control character ``value`` may not hold, as ``U+0000``, or None."""
    found = (_CONTROL_BUT_LINES if multi_line else _ANY_CONTROL).search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def text_problem(value: str, kind: Kind) -> str | None:
    """Why ``value`` cannot be a field of ``kind`` (too long, a control character), or None."""
    longest = LONGEST[kind]
    if len(value) > longest:
        return f"is {len(value):,} characters long: at most {longest:,}"
    bad = control_character(value, multi_line=kind in MULTI_LINE)
    if bad is not None:
        where = " (a line break or tab)" if bad in {"U+0009", "U+000A", "U+000D"} else ""
        return f"contains the control character {bad}{where}, which is not allowed"
    if kind == "id" and value and _ID.fullmatch(value) is None:
        return id_problem(value)
    return None


def id_problem(value: str) -> str:
    """Why ``value``, outside the id's alphabet, is no id (its first wrong character)."""
    found = _NOT_ID.search(value)
    if found is None:  # every character is of the alphabet: the first is not a letter or digit
        return f"starts with '{value[0]}': an id starts with a letter or a digit"
    char = found.group()
    if char == " ":
        shown = "a space"
    else:
        shown = f"'{char}'" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"
    return f"contains {shown}, which an id cannot hold: letters, digits, '.', '_' and '-' only"


def nested_problems(value: object, where: str) -> list[tuple[str, str]]:
    """(where, why) for each string in ``value`` (JSON-like: dicts, lists, strings) longer
    than any field takes or holding a control character a multi-line field refuses: the net
    under every door, whose own fields then apply their kind's tighter rule."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, object]] = [(where, value)]
    while stack:  # a loop, not recursion: the nesting of a hostile body is not bounded
        place, item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item, "text")
            if problem is not None:
                found.append((place, problem))
        elif isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(key, str) and (bad := text_problem(key, "line")):
                    found.append((f"{place}.{key[:40]}", f"the name {bad}"))
                stack.append((f"{place}.{key}", inner))
        elif isinstance(item, list):
            stack.extend((f"{place}[{i}]", inner) for i, inner in enumerate(item))
    return sorted(found)
