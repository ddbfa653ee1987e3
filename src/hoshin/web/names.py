"""People's and units' names by id, from the plan a page already loaded (built once per
analysis, no query per row): pages show "Henrik Larsen", not ``larsen``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hoshin.domain.model import Plan
from hoshin.service.analysis import Analysed


@dataclass(frozen=True, slots=True)
class Names:
    """People's and units' names by id."""

    people: dict[str, str]
    units: dict[str, str]

    def person(self, key: str | None) -> str:
        """The person's name; the id itself when the plan has no such person or no name."""
        return "" if key is None else self.people.get(key) or key

    def unit(self, key: str | None) -> str:
        """The unit's name; the id itself when the plan has no such unit or no name."""
        return "" if key is None else self.units.get(key) or key


def names_of(found: Analysed) -> Names:
    """The plan's names of people and units, built once per analysis."""

    def build(_: Any) -> Names:
        plan: Plan = found.plan
        return Names(
            people={p.id: p.name for p in plan.people}, units={u.id: u.name for u in plan.units}
        )

    return found.derived("names", build)
