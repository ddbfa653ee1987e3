"""The pattern every change of a plan entity follows: If-Match on an optimistic lock, the
domain's rules as a 422, references that must not dangle, the plan version, an audit event."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError, InvalidRequestError
from sqlalchemy.orm import Session

from hoshin.domain.graph import find_cycle
from hoshin.domain.model import Plan
from hoshin.domain.validation import Problem, plan_problems
from hoshin.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from hoshin.fields import text_of
from hoshin.service.asker import Who
from hoshin.store.action import kind_of_key
from hoshin.store.audit import record_event
from hoshin.store.base import Base
from hoshin.store.organization import OrganizationRow, bump_plan_version
from hoshin.store.plan import plan_rows
from hoshin.store.repository import (
    delete_versioned,
    existing_keys,
    find_row,
    insert_row,
    links_from,
    next_position,
    replace_links,
    update_versioned,
)

State = Callable[[], dict[str, Any]]
Referrers = list[tuple[str, list[str]]]


@dataclass(frozen=True, slots=True)
class Change:
    """A change to an organisation's plan: where, by whom, and the version read (If-Match)."""

    org: OrganizationRow
    who: Who
    if_match: int | None = None


def get_row(
    session: Session, table: type[Any], *, org: OrganizationRow, kind: str, key: str
) -> Any:
    """The row of ``kind`` with this id in the organisation; raises NotFound."""
    row = find_row(session, table, org_id=org.id, key=key)
    if row is None:
        raise NotFound(f"no {kind} '{key}'")
    return row


def detail(field: str, reason: str) -> dict[str, str]:
    """One item of a 422 answer's ``detail``."""
    return {"field": field, "reason": reason}


def entity_problems(plan: Plan, section: str) -> list[dict[str, str]]:
    """The broken rules of the first entity of ``section`` in ``plan``, one item per field.

    The plan holds the entity plus stand-ins for what it refers to that exists; so the
    domain's one implementation of the rules also names every unknown reference.
    """
    return [
        _item(problem, 2) for problem in plan_problems(plan) if problem.path[:2] == (section, 0)
    ]


def rule_problems(problems: Iterable[Problem], skip: int) -> list[dict[str, str]]:
    """The domain's problems as 422 items, the first ``skip`` parts of each path dropped."""
    return [_item(problem, skip) for problem in problems]


def _item(problem: Problem, skip: int) -> dict[str, str]:
    return detail(".".join(str(part) for part in problem.path[skip:]) or "id", problem.message)


def refuse(kind: str, key: str, problems: list[dict[str, str]]) -> None:
    """Raises InvalidInput naming every problem, if there are any."""
    if problems:
        fields = ", ".join(dict.fromkeys(item["field"] for item in problems))
        raise InvalidInput(f"{kind} {key} breaks the plan's rules ({fields})", problems)


def known(
    session: Session, table: type[Any], *, org: OrganizationRow, keys: Iterable[str | None]
) -> set[str]:
    """Those of ``keys`` that are ids of ``table``'s rows in the organisation."""
    wanted = sorted({key for key in keys if key is not None})
    return existing_keys(session, table, org_id=org.id, keys=wanted)


def id_problems(session: Session, *, org: OrganizationRow, key: str) -> list[dict[str, str]]:
    """A problem when ``key`` is no id (hoshin.fields.Id: for the doors without a model of
    their own, such as the annual carry-forward's drafts) or is already an id of any entity
    of the plan (one namespace)."""
    try:
        text_of("id", key, required=True)
    except ValueError as error:
        return [detail("id", str(error))]
    kind = kind_of_key(session, org_id=org.id, key=key)
    if kind is None:
        return []
    article = "an" if kind in ("objective", "action") else "a"
    return [detail("id", f"id '{key}' is taken by {article} {kind}: ids are unique in a plan")]


def cycle_problems(
    session: Session,
    table: type[Any],
    *,
    org: OrganizationRow,
    link: tuple[str, str, str],
    key: str,
    targets: Iterable[str],
) -> list[dict[str, str]]:
    """A problem when ``key`` linking to ``targets`` closes a cycle in the organisation's
    ``link`` graph (field, source column, target column); only what ``targets`` reach is read."""
    field, source, target = link
    edges: dict[str, list[str]] = {key: [t for t in targets if t != key]}
    frontier = sorted(set(edges[key]))
    while frontier:
        for node in frontier:
            edges.setdefault(node, [])
        for a, b in links_from(
            session, table, org_id=org.id, source=source, target=target, keys=frontier
        ):
            if a != b:
                edges[a].append(b)
        frontier = sorted({b for node in frontier for b in edges[node] if b not in edges})
    cycle = find_cycle(edges)
    if cycle is None:
        return []
    return [detail(field, f"{field} links form a cycle: {' -> '.join(cycle)}")]


def check_version(
    row: Any, *, kind: str, if_match: int | None, state: State, key: str | None = None
) -> int:
    """The version the client read; 428 without one, 412 (with the state now) when stale."""
    name = key or row.key
    if if_match is None:
        raise PreconditionRequired(
            f"{kind} {name} exists: send If-Match with the version you read "
            f'("{row.version}") to change it'
        )
    if if_match != row.version:
        raise stale(kind, name, state)
    return if_match


def stale(kind: str, key: str, state: State) -> PreconditionFailed:
    """The 412 of a change that someone else's change beat, with the current state."""
    return PreconditionFailed(
        f"{kind} {key} was changed by someone else: here is its current state", state()
    )


def insert(session: Session, row: Any, *, kind: str, key: str | None = None) -> Any:
    """Adds a new row; two creating the same id (``key``, default the row's) at once: one
    wins, the other gets 409."""
    try:
        with session.begin_nested():
            return insert_row(session, row)
    except IntegrityError:
        name = key or row.key
        raise Conflict(f"{kind} {name} was created by someone else just now") from None


def save(
    session: Session,
    table: type[Any],
    row: Any,
    *,
    kind: str,
    version: int,
    values: dict[str, Any],
    state: State,
    key: str | None = None,
) -> None:
    """Writes ``values`` if the row is still at ``version``; 412 when someone was first."""
    saved = update_versioned(session, table, row_id=row.id, version=version, values=values)
    _reload(session, row, kind=kind, key=key or row.key)
    if not saved:
        raise stale(kind, key or row.key, state)


def save_record(
    session: Session,
    change: Change,
    *,
    kind: str,
    entity: str,
    key: str,
    table: type[Any],
    row: Any | None,
    identity: dict[str, Any],
    values: dict[str, Any],
    state: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """Saves a record that is not part of the plan (a monthly review, a reflection).

    Without ``row``, a new ``table`` row of ``identity`` (its key columns) and ``values``
    (two at once: one wins, the other gets 409); else ``values`` at the version the change
    names (428 without one, 412 with the state now when stale). Records the audit event and
    returns the state after."""
    if row is None:
        before = None
        row = insert(session, table(org_id=change.org.id, **identity, **values), kind=kind,
                     key=key)  # fmt: skip
    else:
        before = state(row)
        version = check_version(
            row, kind=kind, if_match=change.if_match, state=lambda: before, key=key
        )
        save(session, table, row, kind=kind, version=version, values=values,
             state=lambda: state(row), key=key)  # fmt: skip
    after = state(row)
    record_event(
        session, org_id=change.org.id, actor=change.who.actor, user_id=change.who.user_id,
        entity=entity, key=key, change="create" if before is None else "update",
        before=before, after=after, origin=change.who.origin,
    )  # fmt: skip
    return after


def remove(
    session: Session, table: type[Any], row: Any, *, kind: str, version: int, state: State
) -> None:
    """Deletes the row if it is still at ``version``; 412 when someone changed it first."""
    if not delete_versioned(session, table, row_id=row.id, version=version):
        _reload(session, row, kind=kind, key=row.key)
        raise stale(kind, row.key, state)
    session.expunge(row)


def _reload(session: Session, row: Any, *, kind: str, key: str) -> None:
    try:
        session.refresh(row)
    except InvalidRequestError:  # deleted by someone else in the meantime
        raise NotFound(f"no {kind} '{key}' (deleted just now)") from None


def refuse_referenced(kind: str, key: str, referrers: Referrers) -> None:
    """409 naming what still refers to the entity: "person ana cannot be deleted: it still
    owns objectives B1; it still owns actions a3"."""
    found = [(what, keys) for what, keys in referrers if keys]
    if found:
        reasons = "; ".join(f"it {what} {', '.join(keys)}" for what, keys in found)
        raise Conflict(
            f"{kind} {key} cannot be deleted: {reasons}",
            [detail(what, ", ".join(keys)) for what, keys in found],
        )


def changed(
    session: Session,
    change: Change,
    *,
    entity: str,
    key: str,
    what: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Marks the plan changed and records the audit event with the state before and after."""
    version = bump_plan_version(session, org_id=change.org.id)
    record_event(
        session, org_id=change.org.id, actor=change.who.actor, user_id=change.who.user_id,
        entity=entity, key=key, change=what, before=before, after=after, plan_version=version,
        origin=change.who.origin,
    )  # fmt: skip


class Entity(Protocol):
    """A domain value with a plan id."""

    @property
    def id(self) -> str: ...


E = TypeVar("E", bound=Entity)


@dataclass(frozen=True, slots=True)
class Spec(Generic[E]):
    """How one kind of entity is stored, checked, shown and referred to.

    ``plan`` is the entity alone in a plan (its rows come from the store's one conversion);
    ``links`` are the link tables written from it, with the column naming the entity.
    """

    kind: str
    table: type[Base]
    plan: Callable[[E], Plan]
    problems: Callable[[Session, OrganizationRow, E, bool], list[dict[str, str]]]
    state: Callable[[Session, Any], dict[str, Any]]
    referrers: Callable[[Session, int, str], Referrers]
    links: tuple[tuple[type[Base], str], ...] = ()


def create(session: Session, spec: Spec[E], *, change: Change, entity: E) -> dict[str, Any]:
    """Stores a new entity after the rules; returns its state (with version 1)."""
    org = change.org
    problems = id_problems(session, org=org, key=entity.id)
    refuse(spec.kind, entity.id, problems + spec.problems(session, org, entity, True))
    rows = _rows(org.id, spec, entity)
    columns = {**rows[spec.table][0], "position": next_position(session, spec.table, org_id=org.id)}
    row = insert(session, spec.table(**columns), kind=spec.kind)
    _write_links(session, spec, org.id, entity.id, rows)
    after = spec.state(session, row)
    changed(
        session, change, entity=spec.kind, key=entity.id, what="create", before=None, after=after
    )
    return after


def update(
    session: Session, spec: Spec[E], *, change: Change, entity: E, keep: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Replaces an entity's fields (not ``keep``'s columns) at the version read; its state."""
    org = change.org
    row = get_row(session, spec.table, org=org, kind=spec.kind, key=entity.id)
    before = spec.state(session, row)
    version = check_version(row, kind=spec.kind, if_match=change.if_match, state=lambda: before)
    refuse(spec.kind, entity.id, spec.problems(session, org, entity, False))
    rows = _rows(org.id, spec, entity)
    fixed = {"org_id", "key", "position", *keep}
    values = {name: value for name, value in rows[spec.table][0].items() if name not in fixed}
    save(session, spec.table, row, kind=spec.kind, version=version, values=values,
         state=lambda: spec.state(session, row))  # fmt: skip
    _write_links(session, spec, org.id, entity.id, rows)
    after = spec.state(session, row)
    changed(
        session, change, entity=spec.kind, key=entity.id, what="update", before=before, after=after
    )
    return after


def delete(
    session: Session, spec: Spec[E], *, change: Change, key: str, extra: State | None = None
) -> None:
    """Deletes an entity at the version read, unless something still refers to it."""
    org = change.org
    row = get_row(session, spec.table, org=org, kind=spec.kind, key=key)
    before = spec.state(session, row)
    version = check_version(row, kind=spec.kind, if_match=change.if_match, state=lambda: before)
    refuse_referenced(spec.kind, key, spec.referrers(session, org.id, key))
    if extra is not None:
        before = {**before, **extra()}
    remove(session, spec.table, row, kind=spec.kind, version=version,
           state=lambda: spec.state(session, row))  # fmt: skip
    changed(session, change, entity=spec.kind, key=key, what="delete", before=before, after=None)


def _rows(org_id: int, spec: Spec[E], entity: E) -> dict[type[Base], list[dict[str, Any]]]:
    return dict(plan_rows(org_id, spec.plan(entity)))


def _write_links(
    session: Session,
    spec: Spec[E],
    org_id: int,
    key: str,
    rows: dict[type[Base], list[dict[str, Any]]],
) -> None:
    for table, source in spec.links:
        replace_links(session, table, org_id=org_id, source=source, key=key, rows=rows[table])
