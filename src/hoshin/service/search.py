"""The plan's references in the words people use: a picker's choices (names and titles, not
ids), a typed name resolved to its id, and a new entity's id made from its title."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hoshin.domain.ids import id_from_title, unique_id
from hoshin.errors import InvalidInput
from hoshin.store import search as store
from hoshin.store.organization import OrganizationRow
from hoshin.store.search import KINDS, Found, Kind

__all__ = ["KINDS", "Choice", "Kind", "choices", "labels", "new_key", "resolve"]
PICKED = 20  # a picker's matches at most: enough to choose from, small at 50,000 people
_CANDIDATES = 6  # the namesakes an ambiguous name's message lists
_WHAT: dict[Kind, tuple[str, str]] = {
    "people": ("person", "people"), "units": ("unit", "units"),
    "objectives": ("objective", "objectives"), "metrics": ("metric", "metrics"),
    "actions": ("action", "actions"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Choice:
    """One entity a picker offers: its id, name (or title), and what tells it apart."""

    kind: Kind
    id: str
    name: str
    detail: str | None = None

    @property
    def label(self) -> str:
        """As people read it: "Margaret Okafor — Quality", "B1 Halve field failures",
        "Field failures — B1" (a metric and its objective)."""
        if self.kind in ("objectives", "actions"):
            return f"{self.id} {self.name}".strip()
        name = self.name or self.id
        return f"{name} — {self.detail}" if self.detail else name


def _choice(kind: Kind, found: Found) -> Choice:
    return Choice(kind, found[0], found[1], found[2])


def choices(
    session: Session, *, org: OrganizationRow, kind: Kind, query: str, unit: str = ""
) -> list[Choice]:
    """The first matches of ``query`` among ``kind`` (an id's start, or part of a name);
    ``unit`` (its id or exact name): only the people of that unit, when it names one."""
    rows = store.matches(
        session, org_id=org.id, kind=kind, query=query[:300], limit=PICKED,
        unit=_unit(session, org, unit) if kind == "people" else None,
    )  # fmt: skip
    return [_choice(kind, row) for row in rows]


def _unit(session: Session, org: OrganizationRow, typed: str) -> str | None:
    """The unit ``typed`` names (its id or exact name); None when it names none, or a name
    several units share: a unit half typed narrows nothing."""
    if not typed.strip():
        return None
    try:
        key = resolve(session, org=org, kind="units", typed=typed.strip())
    except InvalidInput:
        return None
    return key if store.by_keys(session, org_id=org.id, kind="units", keys=[key]) else None


def labels(
    session: Session, *, org: OrganizationRow, kind: Kind, keys: Collection[str]
) -> dict[str, str]:
    """The label of each of ``keys`` that names one of ``kind`` (for a form's shown values)."""
    rows = store.by_keys(session, org_id=org.id, kind=kind, keys=keys)
    return {row[0]: _choice(kind, row).label for row in rows}


def resolve(session: Session, *, org: OrganizationRow, kind: Kind, typed: str) -> str:
    """The id ``typed`` means: itself when it is one of ``kind``, else the id of the one
    whose name (title) it is; InvalidInput listing the candidates when several share that
    name; ``typed`` unchanged when nothing matches (the save then says it is unknown)."""
    if store.by_keys(session, org_id=org.id, kind=kind, keys=[typed]):
        return typed
    found = store.named(session, org_id=org.id, kind=kind, name=typed, limit=_CANDIDATES + 1)
    if len(found) == 1:
        return found[0][0]
    if not found:
        return typed
    one, many = _WHAT[kind]
    listed = ", ".join(f"{_choice(kind, row).label} (id {row[0]})" for row in found[:_CANDIDATES])
    more = " and more" if len(found) > _CANDIDATES else ""
    reason = f"'{typed}' is the name of several {many}: {listed}{more}; choose one by its id"
    raise InvalidInput(reason, [{"field": one, "reason": reason}])


def new_key(session: Session, *, org: OrganizationRow, title: str, fallback: str) -> str:
    """A free id for a new entity made from its title (``fallback``'s when it has no letter
    or digit): ``reduce-defects``, or ``reduce-defects-2`` when that is taken."""
    base = id_from_title(title, fallback=fallback)
    return unique_id(base, store.keys_starting(session, org_id=org.id, prefix=base))
