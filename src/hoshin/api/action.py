"""Actions: read, create, change and delete them; contributors change their own (or their
unit's)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response
from pydantic import Field

from hoshin.api.deps import Db, Org
from hoshin.api.edits import (
    CHANGES,
    MADE_ID,
    READS,
    Body,
    Day,
    Filter,
    Ids,
    IfMatch,
    Key,
    Limit,
    Number,
    Offset,
    at,
    change_of,
    created,
    key_of,
    new_key,
    page,
    tagged,
)
from hoshin.domain.model import Action, Risk, RiskLevel, Strength, weaker
from hoshin.fields import Description, Fte, Id, Money, Title
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import action as action_service
from hoshin.service import policy
from hoshin.service.asker import Asker
from hoshin.service.policy import Act

router = APIRouter(tags=["actions"], responses=READS, route_class=OneThreadRoute)


class Resources(Body):
    """What an action takes: money and people (full-time equivalents)."""

    budget: Money | None = None
    fte: Fte | None = None


class RiskIn(Body):
    """A risk of an action: how much it matters, what would show it is happening and what
    will be done if it happens (a high one without a contingency is a finding)."""

    risk: Description
    level: RiskLevel | None = None
    trigger: Description | None = None
    contingency: Description | None = None


class ActionFields(Body):
    """An action's fields as in the plan file."""

    title: Title
    owner: Id | None = None
    unit: Id | None = None
    serves: Ids = Field(default_factory=list)
    moves: Ids = Field(default_factory=list)
    serves_strength: dict[Id, Strength] = Field(
        default_factory=dict,
        description="How strongly each served objective is carried (the X-matrix's ● ○ △); "
        "one left out is strong.",
    )
    moves_strength: dict[Id, Strength] = Field(
        default_factory=dict,
        description="How strongly each metric is moved; one left out is strong.",
    )
    start: Day | None = None
    due: Day | None = None
    duration_days: Annotated[int, Field(le=100_000)] | None = None
    requires: Ids = Field(default_factory=list)
    done: bool = False
    progress: Number = 0.0
    resources: Resources = Field(default_factory=Resources)
    risks: list[RiskIn] = Field(default_factory=list)

    def action(self, key: str) -> Action:
        """The domain's action."""
        return Action(
            id=key, title=self.title, owner=self.owner, unit=self.unit,
            serves=tuple(self.serves), moves=tuple(self.moves), start=self.start, due=self.due,
            duration_days=self.duration_days, requires=tuple(self.requires), done=self.done,
            progress=self.progress, budget=self.resources.budget, fte=self.resources.fte,
            risks=tuple(Risk(r.risk, r.contingency, r.trigger, r.level) for r in self.risks),
            serves_strength=weaker(self.serves_strength),
            moves_strength=weaker(self.moves_strength),
        )  # fmt: skip


class ActionCreate(ActionFields):
    """A new action."""

    id: Id | None = Field(default=None, description=MADE_ID)


class ActionUpdate(ActionFields):
    """An action's fields, replaced whole; ``id`` may be left out (it is in the path)."""

    id: Id | None = None


class ActionRead(ActionCreate):
    """An action and its version (also its ETag)."""

    id: Id
    version: int


class ActionPage(Body):
    """A page of actions."""

    items: list[ActionRead]
    total: int
    limit: int
    offset: int


def asker(org: Asker) -> Asker:
    """The asker; refused here when their role may change no action or countermeasure at
    all (a viewer), before the entity is looked up. The service checks the rest."""
    policy.require(org.role, Act.WORK, "do this", theirs=True, where=org.org.slug)
    return org


@router.get("/orgs/{org}/actions", response_model=ActionPage)
def list_actions(
    org: Org,
    session: Db,
    unit: Filter = None,
    owner: Filter = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Actions in plan order, filtered by unit and owner."""
    items, total = action_service.list_actions(
        session, org=org.org, unit=unit, owner=owner, limit=limit, offset=offset
    )
    return page(items, total, limit, offset)


@router.get("/orgs/{org}/actions/{key}", response_model=ActionRead)
def read_action(org: Org, session: Db, key: Key, response: Response) -> dict[str, Any]:
    """One action; its ETag is the version to send back in If-Match."""
    return tagged(response, action_service.read_action(session, org=org.org, key=key))


@router.post("/orgs/{org}/actions", response_model=ActionRead, status_code=201, responses=CHANGES)
def create_action(org: Org, session: Db, body: ActionCreate, response: Response) -> dict[str, Any]:
    """A new action (editors and admins)."""
    key = new_key(session, org, body.id, body.title, "action")
    state = action_service.create_action(
        session, change=change_of(org), asker=asker(org), action=body.action(key)
    )
    return created(response, state, at(org, "actions", key))


@router.put("/orgs/{org}/actions/{key}", response_model=ActionRead, responses=CHANGES)
def update_action(
    org: Org,
    session: Db,
    key: Key,
    body: ActionUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """The action's fields and links replaced; needs If-Match. Contributors: their own or
    their unit's actions."""
    who = asker(org)
    action = body.action(key_of(key, body.id))
    state = action_service.update_action(
        session, change=change_of(org, if_match), asker=who, action=action
    )
    return tagged(response, state)


@router.delete("/orgs/{org}/actions/{key}", status_code=204, responses=CHANGES)
def delete_action(org: Org, session: Db, key: Key, if_match: IfMatch = None) -> Response:
    """Deletes an action no other action requires; needs If-Match (editors and admins)."""
    who = asker(org)
    action_service.delete_action(session, change=change_of(org, if_match), asker=who, key=key)
    return Response(status_code=204)
