"""The metric catalogue's entries: a key performance indicator as practitioners define it,
and the check that a catalogue's entries are whole, well-formed and each said once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Literal, cast, get_args

from hoshin.domain.model import Direction, Frequency
from hoshin.domain.text import Kind, text_problem
from hoshin.errors import InvalidInput

Sector = Literal["manufacturing", "healthcare", "software", "services", "public", "support"]
# "support" holds the functions every organisation has: finance, people, IT, procurement,
# safety, sustainability and customer service.
SECTORS: tuple[Sector, ...] = get_args(Sector)
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Kpi:
    """A key performance indicator: what it is called, counted in, which way is better, how
    often it is usually read, exactly what it counts, and the sector it comes from."""

    id: str
    name: str
    unit: str
    direction: Direction
    frequency: Frequency
    definition: str
    sector: Sector

    def text(self) -> str:
        """What the indicator is about, as the model reads it: its name and its definition."""
        return f"{self.name}: {self.definition}"


_FIELDS = tuple(f.name for f in fields(Kpi))
_CHOICES: Mapping[str, tuple[str, ...]] = {
    "direction": DIRECTIONS,
    "frequency": FREQUENCIES,
    "sector": SECTORS,
}


def _entry_problems(entry: object) -> list[str]:
    """What is wrong with one entry of a catalogue (an empty list when it is a whole Kpi)."""
    if not isinstance(entry, Mapping):
        return ["is not a mapping of " + ", ".join(_FIELDS)]
    problems = [f"has the unknown field '{key}'" for key in entry if key not in _FIELDS]
    for name in _FIELDS:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name}: is missing or empty")
            continue
        kind: Kind = "description" if name == "definition" else "line"
        wrong = text_problem(value, kind)
        if wrong is not None:
            problems.append(f"{name}: {wrong}")
        elif name == "id" and _SLUG.fullmatch(value) is None:
            problems.append(f"id: '{value}' is no slug (lower-case words joined by '-')")
        elif name in _CHOICES and value not in _CHOICES[name]:
            problems.append(f"{name}: '{value}' is not one of {', '.join(_CHOICES[name])}")
    return problems


def _kpi(entry: Mapping[str, str]) -> Kpi:
    """The indicator of an entry without problems."""
    value = {name: entry[name].strip() for name in _FIELDS}
    return Kpi(
        id=value["id"],
        name=value["name"],
        unit=value["unit"],
        direction=cast(Direction, value["direction"]),
        frequency=cast(Frequency, value["frequency"]),
        definition=value["definition"],
        sector=cast(Sector, value["sector"]),
    )


def kpis_of(entries: object, *, source: str = "the catalogue") -> tuple[Kpi, ...]:
    """The indicators of a catalogue read from a file (a list of mappings), in order;
    InvalidInput listing every problem (an entry's, a repeated id or name) when any."""
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(f"{source} is not a list of indicators")
    problems: list[str] = []
    kpis: list[Kpi] = []
    ids: dict[str, int] = {}
    names: dict[str, int] = {}
    for at, entry in enumerate(entries, start=1):
        wrong = _entry_problems(entry)
        if wrong:
            problems += [f"{source}, indicator {at}: {problem}" for problem in wrong]
            continue
        kpi = _kpi(cast(Mapping[str, str], entry))
        for seen, key, what in ((ids, kpi.id, "id"), (names, kpi.name.casefold(), "name")):
            if key in seen:
                problems.append(
                    f"{source}, indicator {at}: the {what} '{getattr(kpi, what)}' "
                    f"is indicator {seen[key]}'s already"
                )
            seen.setdefault(key, at)
        kpis.append(kpi)
    if problems:
        raise InvalidInput(f"{source} has {len(problems)} problem(s): {problems[0]}", problems)
    return tuple(kpis)
