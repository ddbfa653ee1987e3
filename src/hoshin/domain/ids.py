"""An id made from a title, for a new entity whose id was left empty: the title's words in
lower-case ASCII joined by '-' ("Réduire les défauts" is ``reduire-les-defauts``), made unique
in the plan with a suffix (``-2``, ``-3``...). Every result is a valid id (domain.text)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from hoshin.domain.text import LONGEST

# Letters NFKD does not take apart into a base letter and its accents.
_SPELLED = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "\u0131": "i",
})  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")
_LONGEST = LONGEST["id"]


def id_from_title(title: str, *, fallback: str = "item") -> str:
    """The id ``title`` suggests: its words in lower-case ASCII joined by '-', cut at a word
    to at most 64 characters; ``fallback``'s when no letter or digit of it survives."""
    plain = unicodedata.normalize("NFKD", title.translate(_SPELLED))
    words: list[str] = _WORD.findall(plain.encode("ascii", "ignore").decode().lower())
    if not words:
        words = _WORD.findall(fallback.lower()) or ["item"]
    chosen = words[0][:_LONGEST]
    for word in words[1:]:
        if len(chosen) + 1 + len(word) > _LONGEST:
            break
        chosen = f"{chosen}-{word}"
    return chosen


def unique_id(base: str, taken: Container[str]) -> str:
    """``base`` when it is free, else ``base-2``, ``base-3``... (``base`` cut so that the
    suffix fits in 64 characters); ``base`` is an id, as id_from_title gives."""
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: _LONGEST - len(suffix)].rstrip("-._") + suffix
        if candidate not in taken:
            return candidate
        number += 1
