"""Mentions in a comment: ``@`` and a person's plan id (``@ana``, ``@Ben.Ode``), as people
type them in a sentence. Pure: which ids a text names, not whether they exist."""

from __future__ import annotations

import re

# An id as domain.text.ID_PATTERN allows (letters, digits, . _ -, from a letter or digit,
# at most 64, and no longer), after an @ that does not follow a letter, a digit or another
# @: an e-mail address (ana@riverside.example) mentions nobody.
_MENTION = re.compile(r"(?<![A-Za-z0-9@._-])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})(?![A-Za-z0-9._-])")
_TRAILING = "._-"  # punctuation that ends a sentence, not an id: "thanks @ana."


def mentioned(text: str) -> list[tuple[str, ...]]:
    """Each mention in ``text``, in order, once (ignoring case): the id as written, then,
    when it ends in dots, dashes or underscores, the id without them ("@ana." gives
    ("ana.", "ana")); the caller keeps the first that names someone."""
    found: dict[str, tuple[str, ...]] = {}
    for match in _MENTION.finditer(text):
        written = match[1]
        bare = written.rstrip(_TRAILING)
        candidates = (written,) if bare in ("", written) else (written, bare)
        found.setdefault(written.lower(), candidates)
    return list(found.values())
