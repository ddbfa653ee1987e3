"""Who may do what in an organisation: the roles, and one rule for each kind of act, used by
the API, the pages and the CLI alike.

A rule says which roles may do an act anywhere in the organisation, and which may do it only
to what is theirs. What "theirs" means depends on the entity, so the use case that knows the
entity works it out and passes it in: an action or objective they own or that is of their
unit, a countermeasure or an actual of such an objective's metrics, a unit's review at or
below their unit, a catchball thread they proposed or lead. Every function here is pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Final, Literal

from hoshin.errors import Forbidden

Role = Literal["admin", "editor", "contributor", "viewer"]
ROLES: Final[tuple[Role, ...]] = ("admin", "editor", "contributor", "viewer")
ADMIN: Final[Role] = "admin"  # manages the members; an organisation keeps at least one
LEAST: Final[Role] = "viewer"  # the role an invitation form starts with


class Act(StrEnum):
    """What a member does in an organisation."""

    READ = "read"
    """See the plan, its analysis, the audit trail, reviews and comments."""
    CONTRIBUTE = "contribute"
    """Comment on objectives, propose objectives, use the forms of their own work."""
    WORK = "work"
    """Change an action or a countermeasure, record an actual, reflect on an objective,
    record a unit's review, propose under an objective or answer a catchball thread."""
    EDIT_PLAN = "edit the plan"
    """Create, change and delete units, people, the vision, objectives and metrics; create
    and delete actions, delete countermeasures; carry objectives into a new year."""
    MANAGE_MEMBERS = "manage members"
    """Invite, list and remove members, change their roles, disable their accounts."""


_EDITORS: Final = frozenset[Role]({"admin", "editor"})
ANYWHERE: Final[Mapping[Act, frozenset[Role]]] = {
    Act.READ: frozenset(ROLES),
    Act.CONTRIBUTE: _EDITORS | {"contributor"},
    Act.WORK: _EDITORS,
    Act.EDIT_PLAN: _EDITORS,
    Act.MANAGE_MEMBERS: frozenset({ADMIN}),
}
"""The roles that may do an act to anything of the organisation."""
THEIRS: Final[Mapping[Act, frozenset[Role]]] = {Act.WORK: frozenset({"contributor"})}
"""The roles that may do an act only to what is theirs."""


def may(role: str, act: Act, *, theirs: bool | Callable[[], bool] = False) -> bool:
    """Whether a member with ``role`` may do ``act``; ``theirs`` says whether the entity is
    theirs, or is a function that finds out (called only when the role alone is not enough)."""
    if role in ANYWHERE[act]:
        return True
    if role not in THEIRS.get(act, ()):
        return False
    return theirs() if callable(theirs) else theirs


def cannot(role: str, what: str, *, where: str | None = None) -> str:
    """The refusal: ``a viewer cannot comment``, ``a viewer of clinic cannot do this``."""
    return f"a {role} cannot {what}" if where is None else f"a {role} of {where} cannot {what}"


def require(
    role: str,
    act: Act,
    what: str,
    *,
    theirs: bool | Callable[[], bool] = False,
    where: str | None = None,
) -> None:
    """Raises Forbidden (``cannot(role, what, where=where)``) unless ``may(role, act,
    theirs=theirs)``."""
    if not may(role, act, theirs=theirs):
        raise Forbidden(cannot(role, what, where=where))


def role_list(*, last: str = "or") -> str:
    """The roles in words: ``admin, editor, contributor or viewer``."""
    return f"{', '.join(ROLES[:-1])} {last} {ROLES[-1]}"
