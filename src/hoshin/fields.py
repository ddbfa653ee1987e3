"""The field types of every door: the plan file's schema, the API's bodies and the page
forms are built from these, so that a value one door takes, every door takes.

Each type's rule is a plain check (``text_of``, ``month_of``, ``amount_of``) over the
domain's limits (domain.text's LONGEST and id alphabet, domain.months' calendar,
domain.validation's amounts); the pydantic type runs that check and states the limits in
its JSON schema, for clients and schemathesis. The forms call the same checks.

| type | what | rule |
| --- | --- | --- |
| ``Id`` | an entity's id in a plan | 1-64 of ``A-Z a-z 0-9 . _ -``, from a letter or digit |
| ``Period`` | a month | ``YYYY-MM``, a month of the years 1900-2999 |
| ``Title`` | a title or a name | one line, 1-300 characters |
| ``Line`` | a unit of measure, a value, an attendee | one line, at most 300 |
| ``Description`` | a description, a risk, a cause | lines, at most 10,000 |
| ``Text`` | a note, the minutes, a comment | lines, at most 20,000 |
| ``Money``, ``Fte`` | a budget, people's time | a finite number, not negative |

Titles and text are stripped of surrounding spaces; an id and a month are taken as given
(a space is no part of either). A day is ``Day``: ``YYYY-MM-DD`` in the calendar.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field

from hoshin.domain.months import Month, in_calendar
from hoshin.domain.text import ID_PATTERN, LONGEST, PATTERN, Kind, text_problem
from hoshin.domain.validation import amount_problem
from hoshin.errors import InvalidInput

__all__ = [
    "ID_PATTERN",
    "LARGEST_ROW_ID",
    "PERIOD_PATTERN",
    "Day",
    "Description",
    "Email",
    "Fte",
    "Id",
    "Line",
    "Money",
    "Password",
    "Period",
    "Text",
    "Title",
]

# The largest id of a row hoshin numbers itself (a token, an invitation, a catchball thread):
# an INTEGER key, 32 bits on PostgreSQL, which refuses a larger number with an error.
LARGEST_ROW_ID = 2**31 - 1
# A month as the JSON schema states it (month_of is the rule: it also bounds the year).
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


# Kinds taken as given, not stripped of surrounding spaces: a space is no part of an id (and
# the JSON schema's pattern says so), and a password is what was typed.
VERBATIM: frozenset[Kind] = frozenset({"id", "password"})


def text_of(kind: Kind, value: str, *, required: bool = False) -> str:
    """``value`` (stripped of surrounding spaces, but an id or a password) when domain.text's
    rule for ``kind`` takes it; ValueError saying why not (``is empty`` when ``required``)."""
    if kind not in VERBATIM:
        value = value.strip()
    if required and not value:
        raise ValueError("is empty")
    problem = text_problem(value, kind)
    if problem is not None:
        raise ValueError(problem)
    return value


def month_of(text: str) -> Month:
    """The month ``text`` names: ``YYYY-MM`` in hoshin's calendar; ValueError saying why not."""
    problem = text_problem(text, "line")  # no control character reaches the message
    if problem is not None:
        raise ValueError(problem)
    return Month.parse(text)


def period_of(text: str, field: str) -> Month:
    """month_of's month of a request or command; InvalidInput naming ``field`` when it is
    none."""
    try:
        return month_of(text)
    except ValueError as error:
        raise InvalidInput(f"{field}: {error}", [{"field": field, "reason": str(error)}]) from None


def amount_of(value: float) -> float:
    """``value`` as an amount of money or of FTE: finite, not negative; ValueError if not."""
    problem = amount_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _period(text: str) -> str:
    month_of(text)
    return text


def _checks(kind: Kind, *, required: bool = False) -> AfterValidator:
    """The validator of a text type: domain.text's rule for ``kind``."""
    check: Callable[[str], str] = partial(text_of, kind, required=required)
    return AfterValidator(check)


def _states(kind: Kind, pattern: str, *, required: bool = False) -> Any:
    """The JSON schema of a text type: its limits (the validator is what refuses)."""
    shortest = {"minLength": 1} if required else {}
    return Field(json_schema_extra={**shortest, "maxLength": LONGEST[kind], "pattern": pattern})


_ONE_LINE = PATTERN[False]
_LINES = PATTERN[True]

Id = Annotated[str, _checks("id", required=True), _states("id", ID_PATTERN, required=True)]
Period = Annotated[
    str,
    AfterValidator(_period),
    Field(json_schema_extra={"pattern": PERIOD_PATTERN, "description": "A month, YYYY-MM."}),
]
Title = Annotated[str, _checks("line", required=True), _states("line", _ONE_LINE, required=True)]
Line = Annotated[str, _checks("line"), _states("line", _ONE_LINE)]
Description = Annotated[str, _checks("description"), _states("description", _LINES)]
Text = Annotated[str, _checks("text"), _states("text", _LINES)]
Email = Annotated[str, _checks("email"), _states("email", _ONE_LINE)]
Password = Annotated[str, _checks("password"), _states("password", _ONE_LINE)]
Money = Annotated[
    float,
    Field(allow_inf_nan=False, json_schema_extra={"minimum": 0}),
    AfterValidator(amount_of),
]
Fte = Money  # people's time, in full-time equivalents: the same rule as money


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(value: object) -> object:
    """A day must be written YYYY-MM-DD: pydantic would read ``0`` as 1970-01-01 (a Unix
    time) and ``20260615`` as a time too."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or _DAY.fullmatch(value) is None:
        raise ValueError("write the day as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(iso_day), AfterValidator(in_calendar)]


def checked_text(value: str, kind: Kind, field: str) -> str:
    """``value`` stripped, when domain.text's rule for ``kind`` takes it; else InvalidInput
    naming ``field`` (for the doors without a pydantic model: the CLI, the services)."""
    try:
        return text_of(kind, value)
    except ValueError as error:
        raise InvalidInput(f"{field}: {error}", [{"field": field, "reason": str(error)}]) from None


def loopback(host: str) -> bool:
    """Whether ``host`` is this machine (what goes there in the clear stays on it)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def secure_address_problem(url: str) -> str | None:
    """Why ``url`` may not be used to fetch keys, tokens or certificates from, or None: it
    must be https, or http to this machine only (a provider beside hoshin, or under test);
    on any other network, http would let anyone on the way read or forge them."""
    parts = urlsplit(url.strip())
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname and loopback(parts.hostname):
        return None
    return f"'{url[:200]}' is not an https address"
