"""The password rule, every door's (account.check_password): long enough, no control
character, hard to guess by zxcvbn's estimate, and none of the most common passwords."""

from __future__ import annotations

import re
import threading
from functools import cache

from hoshin.domain.text import text_problem
from hoshin.errors import InvalidInput

PASSWORD_MIN_LENGTH = 10
# zxcvbn's score: 3 is "safely unguessable: moderate protection from an offline slow-hash
# scenario" (argon2 here), the level its authors advise for a password's lowest.
PASSWORD_MIN_SCORE = 3
# zxcvbn takes at most 72 characters (its matching grows fast with the length); a longer
# password is judged by its first 72: the rest only makes it harder to guess.
PASSWORD_JUDGED_LENGTH = 72

# zxcvbn keeps the user inputs of a call in a module-level dictionary: two threads judging
# two passwords at once could each be judged against the other's email and name.
_ZXCVBN = threading.Lock()


def check_password(password: str, *, email: str, name: str = "") -> None:
    """Raises InvalidInput (field ``password``) saying why the password is refused: shorter
    than 10 characters, a control character, one of the 30,000 most common passwords, or
    too easy to guess (zxcvbn's score below 3, with the email and name as known words)."""
    problem = password_problem(password, email=email, name=name)
    if problem is not None:
        raise InvalidInput(problem, [{"field": "password", "reason": problem}])


def password_problem(password: str, *, email: str, name: str = "") -> str | None:
    """Why the password may not be used (check_password's reason), or None."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"a password needs at least {PASSWORD_MIN_LENGTH} characters"
    problem = text_problem(password, "password")
    if problem is not None:
        return f"the password {problem}"
    known = _known_words(email, name)
    # Imported at the first password judged, not with the server: its word lists are 12 MB
    # of every worker's memory, used only where a password is set.
    from zxcvbn import zxcvbn

    with _ZXCVBN:
        judged = zxcvbn(password[:PASSWORD_JUDGED_LENGTH], user_inputs=known)
    if judged["score"] >= PASSWORD_MIN_SCORE:
        # zxcvbn scores every listed password of 10 characters or more below 3 today; the
        # list is asked too, so that the promise holds whatever its scoring becomes.
        if password.lower() in _common_passwords():
            return "the password is one of the most common passwords: choose another"
        return None
    feedback = judged["feedback"]
    reasons = [feedback["warning"], *feedback["suggestions"]] if feedback["warning"] else []
    reasons = reasons or feedback["suggestions"] or ["Add another word or two."]
    if any(word in password.lower() for word in known if len(word) >= 3):
        reasons.insert(0, "It contains your email or name.")
    return "the password is too easy to guess: " + " ".join(reasons)


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _known_words(email: str, name: str) -> list[str]:
    """What an attacker knows of the user: the email, its parts, the name and its words."""
    local, _, domain = _normal(email).partition("@")
    words = [_normal(email), local, *re.split(r"[._+-]", local), *domain.split(".")]
    words += [name.strip().lower(), *name.lower().split()]
    return sorted({word for word in words if word})


def _normal(email: str) -> str:
    return email.strip().lower()
