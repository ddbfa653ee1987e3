"""The text field types every door's models use (the API's bodies; the plan file's keys):
domain.text's rule for each kind, as a pydantic type whose JSON schema states it too."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from hoshin.domain.months import in_calendar
from hoshin.domain.text import LONGEST, PATTERN, Kind, text_problem
from hoshin.errors import InvalidInput


def checked(kind: Kind) -> Callable[[str], str]:
    """A validator that refuses what domain.text refuses for ``kind``, saying why."""

    def check(value: str) -> str:
        problem = text_problem(value, kind)
        if problem is not None:
            raise ValueError(problem)
        return value

    return check


def _strip(longest: int, shortest: int = 0) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=shortest, max_length=longest)


# The largest id of a row hoshin numbers itself (a token, an invitation, a catchball thread):
# an INTEGER key, 32 bits on PostgreSQL, which refuses a larger number with an error.
LARGEST_ROW_ID = 2**31 - 1

# The pattern is stated in the JSON schema (clients and schemathesis read it); the validator
# is what refuses, with a message that names the character.
_ONE_LINE = Field(json_schema_extra={"pattern": PATTERN[False]})
_LINES = Field(json_schema_extra={"pattern": PATTERN[True]})
# No "/" in an id either: it is also a path segment of the API and the pages.
ID_PATTERN = r"^[^\x00-\x1f\x7f-\x9f/]+$"


def _id(value: str) -> str:
    problem = text_problem(value, "id")
    if problem is not None:
        raise ValueError(problem)
    if "/" in value:
        raise ValueError("contains '/', which an id cannot hold")
    return value


Id = Annotated[
    str,
    _strip(LONGEST["id"], 1),
    AfterValidator(_id),
    Field(json_schema_extra={"pattern": ID_PATTERN}),
]
Line = Annotated[str, _strip(LONGEST["line"]), AfterValidator(checked("line")), _ONE_LINE]
Text = Annotated[str, _strip(LONGEST["text"]), AfterValidator(checked("text")), _LINES]
Email = Annotated[str, _strip(LONGEST["email"]), AfterValidator(checked("email")), _ONE_LINE]
Password = Annotated[
    str, Field(max_length=LONGEST["password"]), AfterValidator(checked("password")), _ONE_LINE
]


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
    value = value.strip()
    problem = text_problem(value, kind)
    if problem is not None:
        raise InvalidInput(f"{field}: {problem}", [{"field": field, "reason": problem}])
    return value
