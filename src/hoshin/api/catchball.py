"""Catchball proposals and their rounds under /api/v1/orgs/{org}/catchball: propose an
objective to a unit's lead, counter-propose or accept in turn, withdraw; the agreed version
joins the plan."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from hoshin.api.deps import Db, Org, now, version_of
from hoshin.api.edits import (
    CHANGES,
    READS,
    Body,
    Filter,
    IfMatch,
    Limit,
    Number,
    Offset,
    created,
    page,
    tagged,
)
from hoshin.fields import LARGEST_ROW_ID, Id, Line, Period, Text, Title
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import catchball
from hoshin.service.asker import Asker
from hoshin.service.catchball import Answer
from hoshin.service.proposal import MetricFields, Proposal

router = APIRouter(tags=["catchball"], responses=READS, route_class=OneThreadRoute)
ThreadId = Annotated[int, Path(description="The thread's number.", ge=1, le=LARGEST_ROW_ID)]
ANSWERS = {**CHANGES, 409: {"description": "The thread is agreed or withdrawn already"}}


class MetricIn(Body):
    """The proposed objective's metric: from its baseline now to its target by the deadline."""

    name: Title
    unit: Line | None = None
    direction: Literal["increase", "decrease"]
    baseline: Number
    target: Number


class ProposalIn(Body):
    """The fields of a proposed objective."""

    title: Title
    parent: Id = Field(description="The objective it would support.")
    weight: Number = Field(1.0, description="The weight of its link to the parent.")
    level: Literal["team", "individual"] = "team"
    deadline: Period = Field(description="Its end month, YYYY-MM.")
    metric: MetricIn

    def proposal(self) -> Proposal:
        """The service's proposal."""
        m = self.metric
        metric = MetricFields(m.name, m.direction, m.baseline, m.target, m.unit)
        return Proposal(self.title, self.parent, self.weight, self.deadline, metric, self.level)


class CatchballCreate(ProposalIn):
    """A new proposal, addressed to the lead of a unit (a person of that unit)."""

    unit: Id
    lead: Id
    comment: Text = ""


class RoundCreate(ProposalIn):
    """A counter-proposal: the fields changed, and why."""

    comment: Text = Field(min_length=1)


class AnswerCreate(Body):
    """An acceptance or a withdrawal, with an optional comment."""

    comment: Text = ""


class RoundRead(Body):
    """One round of a thread: who, when, the fields as they stood, what changed."""

    number: int
    side: Literal["proposer", "unit"]
    kind: Literal["propose", "counter", "accept", "withdraw"]
    author: str
    author_name: str
    at: str
    fields: dict[str, Any]
    changed: list[str] = Field(description="The fields changed since the round before.")
    comment: str


class CatchballSummary(Body):
    """A thread without its rounds; ``turn`` is the side that answers next."""

    id: int
    title: str
    unit: str
    unit_name: str
    lead: str
    lead_name: str
    proposer: str
    proposer_name: str
    status: Literal["open", "agreed", "withdrawn"]
    turn: Literal["proposer", "unit"]
    round_count: int
    created_at: str
    updated_at: str
    agreed_by: str | None
    agreed_at: str | None
    objective: str | None = Field(description="The objective agreed, once it is.")
    version: int


class CatchballRead(CatchballSummary):
    """A thread with every round, the fields on the table, and what the asker may do."""

    rounds: list[RoundRead]
    fields: dict[str, Any]
    can_answer: bool
    can_withdraw: bool


class CatchballPage(Body):
    """A page of threads, latest change first."""

    items: list[CatchballSummary]
    total: int
    limit: int
    offset: int


def answer(org: Asker, thread: int, if_match: str | None, comment: str) -> Answer:
    """The asker's answer to ``thread`` at the version they read."""
    return Answer(org.org, org, thread, version_of(if_match), now(), comment)


Status = Annotated[Literal["open", "agreed", "withdrawn"] | None, Query()]
Waiting = Annotated[bool, Query(description="Only the threads waiting for my answer.")]


@router.get("/orgs/{org}/catchball", response_model=CatchballPage)
def list_threads(
    org: Org,
    session: Db,
    status: Status = None,
    unit: Filter = None,
    waiting: Waiting = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Threads, latest change first, filtered by status, unit and waiting for me."""
    me = org if waiting else None
    items, total = catchball.list_threads(session, org=org.org, status=status, unit=unit,
                                          waiting_for=me, limit=limit, offset=offset)  # fmt: skip
    return page([item.as_json() for item in items], total, limit, offset)


@router.get("/orgs/{org}/catchball/{thread}", response_model=CatchballRead)
def read_thread(org: Org, session: Db, thread: ThreadId, response: Response) -> dict[str, Any]:
    """A thread with its rounds; its ETag is the version to send back in If-Match."""
    state = catchball.read_thread(session, org=org.org, thread_id=thread, asker=org)
    return tagged(response, state)


@router.post(
    "/orgs/{org}/catchball", response_model=CatchballRead, status_code=201, responses=CHANGES
)
def propose(org: Org, session: Db, body: CatchballCreate, response: Response) -> dict[str, Any]:
    """Proposes an objective to a unit's lead (editors, admins, the parent's owner)."""
    state = catchball.propose(
        session, org=org.org, asker=org, unit=body.unit, lead=body.lead,
        proposal=body.proposal(), comment=body.comment, now=now(),
    )  # fmt: skip
    return created(response, state, f"/api/v1/orgs/{org.org.slug}/catchball/{state['id']}")


@router.post("/orgs/{org}/catchball/{thread}/counter", response_model=CatchballRead,
             responses=ANSWERS)  # fmt: skip
def counter_propose(
    org: Org,
    session: Db,
    thread: ThreadId,
    body: RoundCreate,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Counter-proposes changed fields with a comment; only the side whose turn it is, with
    If-Match."""
    state = catchball.counter_propose(
        session, answer=answer(org, thread, if_match, body.comment), proposal=body.proposal()
    )
    return tagged(response, state)


@router.post("/orgs/{org}/catchball/{thread}/accept", response_model=CatchballRead,
             responses=ANSWERS)  # fmt: skip
def accept(
    org: Org,
    session: Db,
    thread: ThreadId,
    response: Response,
    body: AnswerCreate | None = None,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Accepts the proposal on the table (the side whose turn it is, with If-Match): its
    objective and metric join the plan, owned by the lead, and the thread is agreed."""
    comment = "" if body is None else body.comment
    state = catchball.accept(session, answer=answer(org, thread, if_match, comment))
    return tagged(response, state)


@router.post("/orgs/{org}/catchball/{thread}/withdraw", response_model=CatchballRead,
             responses=ANSWERS)  # fmt: skip
def withdraw(
    org: Org,
    session: Db,
    thread: ThreadId,
    response: Response,
    body: AnswerCreate | None = None,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Withdraws an open proposal (the proposer's side, with If-Match)."""
    comment = "" if body is None else body.comment
    state = catchball.withdraw(session, answer=answer(org, thread, if_match, comment))
    return tagged(response, state)
