"""Catchball: a leader proposes an objective to a unit's lead; the two sides answer in turn
(accept or counter-propose) until one accepts, and the agreed version joins the plan."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.months import Month
from hoshin.errors import Conflict, Forbidden, InvalidInput, NotFound
from hoshin.service import announce, policy, search
from hoshin.service.asker import Asker, Who
from hoshin.service.metric import METRICS, Placed
from hoshin.service.objective import OBJECTIVES
from hoshin.service.policy import Act
from hoshin.service.proposal import (
    FIELDS,
    Proposal,
    objective_of,
    proposal_of,
    proposal_problems,
    without_metrics,
)
from hoshin.service.versioned import Change, check_version, create, detail, save
from hoshin.store.action import kind_of_key
from hoshin.store.audit import actor_names, record_event
from hoshin.store.catchball import (
    CatchballRoundRow,
    CatchballRow,
    accepters,
    add_row,
    find_agreed,
    find_thread,
    last_round,
    names_of,
    page_threads,
    rounds_of,
)
from hoshin.store.objective import find_objective
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import find_row
from hoshin.store.unit import UnitRow, find_person

STATUSES = ("open", "agreed", "withdrawn")


def propose(
    session: Session,
    *,
    org: OrganizationRow,
    asker: Asker,
    unit: str,
    lead: str,
    proposal: Proposal,
    comment: str = "",
    now: datetime,
) -> dict[str, Any]:
    """A new thread: the proposal goes to ``lead``, a person of ``unit``; its state."""
    policy.require(asker.role, Act.CONTRIBUTE, "propose objectives")
    problems = _thread_problems(session, org, unit, lead)
    problems += proposal_problems(session, org=org, unit=unit, lead=lead, proposal=proposal,
                                  now=now)  # fmt: skip
    _refuse("the proposal", problems)
    parent = find_objective(session, org_id=org.id, key=proposal.parent)
    if not policy.may(
        asker.role, Act.WORK, theirs=parent is not None and parent.owner == asker.person
    ):
        raise Forbidden(
            f"only editors, admins or the owner of objective {proposal.parent} may propose "
            "objectives that support it"
        )
    thread = add_row(session, CatchballRow(
        org_id=org.id, title=proposal.title, unit=unit, lead=lead, proposer=asker.email,
        proposer_name=asker.label, proposer_user_id=asker.user_id, status="open", turn="unit",
        rounds=1, created_at=now, updated_at=now,
    ))  # fmt: skip
    answer = Answer(org, asker, thread.id, thread.version, now, comment)
    _add_round(session, thread, answer, "proposer", "propose", proposal.as_json())
    return read_thread(session, org=org, thread_id=thread.id, asker=asker)


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer to a thread: where, by whom, to which version (If-Match), when, and why."""

    org: OrganizationRow
    asker: Asker
    thread_id: int
    if_match: int | None
    now: datetime
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Thread:
    """A catchball thread without its rounds: what is proposed to whom, where it stands
    (``turn``: the side that answers next), and its version."""

    id: int
    title: str
    unit: str
    unit_name: str
    lead: str
    lead_name: str
    proposer: str  # the proposer's email
    proposer_name: str
    status: str  # one of STATUSES
    turn: str  # proposer or unit
    round_count: int
    created_at: datetime
    updated_at: datetime
    agreed_by: str | None
    agreed_at: datetime | None
    objective: str | None  # the objective agreed, once it is
    version: int

    def as_json(self) -> dict[str, Any]:
        """The thread as JSON values."""
        agreed_at = None if self.agreed_at is None else self.agreed_at.isoformat()
        return {
            "id": self.id, "title": self.title, "unit": self.unit, "unit_name": self.unit_name,
            "lead": self.lead, "lead_name": self.lead_name, "proposer": self.proposer,
            "proposer_name": self.proposer_name, "status": self.status, "turn": self.turn,
            "round_count": self.round_count, "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(), "agreed_by": self.agreed_by,
            "agreed_at": agreed_at, "objective": self.objective, "version": self.version,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class ThreadRound:
    """One round of a thread: who answered for which side, how, when, the fields as they
    stood, the fields changed since the round before, and why."""

    number: int
    side: str  # proposer or unit
    kind: str  # propose, counter, accept or withdraw
    author: str  # the author's email
    author_name: str
    at: datetime
    fields: dict[str, Any]  # the proposal as JSON values (Proposal.as_json)
    changed: tuple[str, ...]  # names of FIELDS
    comment: str

    def as_json(self) -> dict[str, Any]:
        """The round as JSON values."""
        return {
            "number": self.number, "side": self.side, "kind": self.kind, "author": self.author,
            "author_name": self.author_name, "at": self.at.isoformat(),
            "fields": dict(self.fields), "changed": list(self.changed), "comment": self.comment,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class ThreadRead:
    """A thread with every round, the fields on the table (its last round's), and what the
    asker may do now."""

    thread: Thread
    rounds: tuple[ThreadRound, ...]
    fields: dict[str, Any]
    can_answer: bool
    can_withdraw: bool
    # the id and title of each objective of the plan the rounds support or the thread made,
    # by id (pages show them; the JSON keeps the ids)
    objectives: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The thread and its rounds as JSON values."""
        return {
            **self.thread.as_json(), "rounds": [item.as_json() for item in self.rounds],
            "fields": dict(self.fields), "can_answer": self.can_answer,
            "can_withdraw": self.can_withdraw,
        }  # fmt: skip


def counter_propose(session: Session, *, answer: Answer, proposal: Proposal) -> dict[str, Any]:
    """The side whose turn it is puts changed fields on the table, with a comment."""
    org, now = answer.org, answer.now
    thread, side = _answering(session, answer)
    problems = proposal_problems(session, org=org, unit=thread.unit, lead=thread.lead,
                                 proposal=proposal, now=now)  # fmt: skip
    if not answer.comment.strip():
        problems.append(detail("comment", "say why you propose a change"))
    _refuse("the counter-proposal", problems)
    other = "proposer" if side == "unit" else "unit"
    values = {"title": proposal.title, "turn": other, "rounds": thread.rounds + 1,
              "updated_at": now}  # fmt: skip
    _save(session, org, thread, values)
    _add_round(session, thread, answer, side, "counter", proposal.as_json())
    return read_thread(session, org=org, thread_id=thread.id, asker=answer.asker)


def accept(session: Session, *, answer: Answer) -> dict[str, Any]:
    """The side whose turn it is accepts the proposal on the table: the objective and its
    metric join the plan (by the plan's rules, in this transaction) and the thread is agreed."""
    org, now = answer.org, answer.now
    thread, side = _answering(session, answer)
    latest = last_round(session, thread_id=thread.id)
    assert latest is not None  # a thread starts with its proposal
    key = _new_key(session, org, thread.id)
    _add_to_plan(session, answer, thread, key, proposal_of(latest.fields))
    values = {"status": "agreed", "rounds": thread.rounds + 1, "updated_at": now,
              "agreed_by": answer.asker.label, "agreed_at": now, "objective": key}  # fmt: skip
    _save(session, org, thread, values)
    _add_round(session, thread, answer, side, "accept", dict(latest.fields))
    return read_thread(session, org=org, thread_id=thread.id, asker=answer.asker)


def withdraw(session: Session, *, answer: Answer) -> dict[str, Any]:
    """The proposer's side takes the proposal back (at any turn while it is open)."""
    org = answer.org
    thread = _get(session, org, answer.thread_id)
    _require_open(thread)
    if "proposer" not in sides_of(thread, answer.asker):
        raise Forbidden(f"only {thread.proposer_name} (the proposer) or an editor may withdraw")
    _check(thread, answer.if_match)
    latest = last_round(session, thread_id=thread.id)
    assert latest is not None
    values = {"status": "withdrawn", "rounds": thread.rounds + 1, "updated_at": answer.now}
    _save(session, org, thread, values)
    _add_round(session, thread, answer, "proposer", "withdraw", dict(latest.fields))
    return read_thread(session, org=org, thread_id=thread.id, asker=answer.asker)


def get_thread(
    session: Session, *, org: OrganizationRow, thread_id: int, asker: Asker | None = None
) -> ThreadRead:
    """A thread with every round (and what each changed), and what ``asker`` may do now;
    raises NotFound."""
    thread = _get(session, org, thread_id)
    rounds = rounds_of(session, thread_id=thread.id)
    sides = set() if asker is None else sides_of(thread, asker)
    last_author = rounds[-1].author_user_id if rounds else None
    mine = asker is not None and asker.user_id is not None and last_author == asker.user_id
    said = actor_names(
        session, org_id=org.id, emails={thread.proposer, *(r.author for r in rounds)}
    )
    accepter = next((r.author for r in rounds if r.kind == "accept"), None)
    objectives = {str(r.fields["parent"]) for r in rounds if r.fields.get("parent")}
    objectives |= {thread.objective} if thread.objective else set()
    return ThreadRead(
        _known(thread_of(thread, _names(session, org, thread)), said, accepter),
        rounds=_rounds(rounds, said),
        fields=dict(rounds[-1].fields) if rounds else {},
        can_answer=thread.status == "open" and thread.turn in sides and not mine,
        can_withdraw=thread.status == "open" and "proposer" in sides,
        objectives=search.labels(session, org=org, kind="objectives", keys=objectives),
    )


def read_thread(
    session: Session, *, org: OrganizationRow, thread_id: int, asker: Asker | None = None
) -> dict[str, Any]:
    """``get_thread`` as JSON values."""
    return get_thread(session, org=org, thread_id=thread_id, asker=asker).as_json()


def list_threads(
    session: Session,
    *,
    org: OrganizationRow,
    status: str | None = None,
    unit: str | None = None,
    waiting_for: Asker | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Thread], int]:
    """A page of threads, latest change first (without their rounds), and the total."""
    who = None if waiting_for is None else (waiting_for.person, waiting_for.user_id)
    rows, total = page_threads(session, org_id=org.id, status=status, unit=unit,
                               waiting_for=who, limit=limit, offset=offset)  # fmt: skip
    units, people = names_of(session, org_id=org.id, units={row.unit for row in rows},
                             people={row.lead for row in rows})  # fmt: skip
    names = [{"unit": units.get(row.unit, row.unit), "lead": people.get(row.lead, row.lead)}
             for row in rows]  # fmt: skip
    agreed = accepters(session, thread_ids=[row.id for row in rows if row.status == "agreed"])
    said = actor_names(session, org_id=org.id, emails={row.proposer for row in rows}
                       | set(agreed.values()))  # fmt: skip
    threads = [thread_of(row, name) for row, name in zip(rows, names, strict=True)]
    return [_known(thread, said, agreed.get(thread.id)) for thread in threads], total


def agreement_of(
    session: Session, *, org: OrganizationRow, objective: str
) -> dict[str, Any] | None:
    """How ``objective`` was agreed in catchball (by whom, when, after how many rounds, the
    thread's page), or None when it was not."""
    row = find_agreed(session, org_id=org.id, objective=objective)
    if row is None or row.agreed_at is None:
        return None
    accepter = accepters(session, thread_ids=[row.id]).get(row.id)
    said = {} if accepter is None else actor_names(session, org_id=org.id, emails={accepter})
    return {
        "thread": row.id, "agreed_by": said.get(accepter or "", row.agreed_by),
        "agreed_at": row.agreed_at,
        "rounds": row.rounds, "url": f"/orgs/{org.slug}/catchball/{row.id}",
    }  # fmt: skip


def sides_of(thread: CatchballRow, asker: Asker) -> set[str]:
    """The sides ``asker`` may answer for: the proposer's (the proposer, editors and
    admins), the unit's (its lead's user, editors and admins); none for a viewer."""
    sides = set()
    proposer = asker.user_id is not None and asker.user_id == thread.proposer_user_id
    if policy.may(asker.role, Act.WORK, theirs=proposer):
        sides.add("proposer")
    lead = asker.person is not None and asker.person == thread.lead
    if policy.may(asker.role, Act.WORK, theirs=lead):
        sides.add("unit")
    return sides


def _add_to_plan(
    session: Session, answer: Answer, thread: CatchballRow, key: str, proposal: Proposal
) -> None:
    """Creates the agreed objective and its metric with the plan's own services."""
    org, asker, now = answer.org, answer.asker, answer.now
    problems = proposal_problems(session, org=org, unit=thread.unit, lead=thread.lead,
                                 proposal=proposal, now=now)  # fmt: skip
    _refuse("the agreed objective", problems)
    start = Month.of_date(now.date())
    objective = objective_of(key, proposal, unit=thread.unit, lead=thread.lead, start=start)
    change = Change(org, Who(asker.email, asker.user_id, asker.origin))
    try:
        # the agreement adds them (both sides accepted), not an edit of the plan's: no role
        # check (policy's EDIT_PLAN) here, the plan's own rules and audit as for any edit
        create(session, OBJECTIVES, change=change, entity=without_metrics(objective))
        create(session, METRICS, change=change, entity=Placed(key, objective.metrics[0]))
    except InvalidInput as error:
        raise InvalidInput(f"the agreed objective cannot join the plan: {error.message}",
                           error.detail) from None  # fmt: skip


def _new_key(session: Session, org: OrganizationRow, thread_id: int) -> str:
    """A free plan id for the agreed objective: CB<thread>, else CB<thread>-2, -3..."""
    key, n = f"CB{thread_id}", 1
    while kind_of_key(session, org_id=org.id, key=key) or kind_of_key(
        session, org_id=org.id, key=f"{key}-m"
    ):
        n += 1
        key = f"CB{thread_id}-{n}"
    return key


def _answering(session: Session, answer: Answer) -> tuple[CatchballRow, str]:
    """The open thread and the side the asker answers for; Forbidden when it is not their
    turn, 428/412 on a missing or stale version."""
    org, asker = answer.org, answer.asker
    thread = _get(session, org, answer.thread_id)
    _require_open(thread)
    if thread.turn not in sides_of(thread, asker):
        raise Forbidden(f"it is {_waiting(session, org, thread)}'s turn to answer")
    latest = last_round(session, thread_id=thread.id)
    if latest is not None and asker.user_id is not None and latest.author_user_id == asker.user_id:
        raise Forbidden("you made the last round: the other side answers it")
    _check(thread, answer.if_match)
    return thread, thread.turn


def _waiting(session: Session, org: OrganizationRow, thread: CatchballRow) -> str:
    names = _names(session, org, thread)
    if thread.turn == "unit":
        return f"{names['lead']} (lead of {names['unit']})"
    return f"{thread.proposer_name} (the proposer)"


def _check(thread: CatchballRow, if_match: int | None) -> None:
    check_version(thread, kind="catchball", if_match=if_match, key=str(thread.id),
                  state=lambda: thread_state(thread, {}))  # fmt: skip


def _save(
    session: Session, org: OrganizationRow, thread: CatchballRow, values: dict[str, Any]
) -> None:
    save(session, CatchballRow, thread, kind="catchball", version=thread.version,
         values=values, key=str(thread.id),
         state=lambda: thread_state(thread, _names(session, org, thread)))  # fmt: skip


def _add_round(
    session: Session,
    thread: CatchballRow,
    answer: Answer,
    side: str,
    kind: str,
    fields: dict[str, Any],
) -> None:
    """Keeps the round, records it in the audit trail (the plan itself is unchanged until
    an acceptance, whose objective and metric have their own events) and tells the other
    party of it (service.announce)."""
    asker, comment, number = answer.asker, answer.comment.strip(), thread.rounds
    add_row(session, CatchballRoundRow(
        org_id=thread.org_id, thread_id=thread.id, number=number, side=side, kind=kind,
        author=asker.email, author_name=asker.label, author_user_id=asker.user_id,
        at=answer.now, fields=fields, comment=comment,
    ))  # fmt: skip
    after = {"thread": thread.id, "round": number, "side": side, "kind": kind,
             "fields": fields, "comment": comment, "status": thread.status}  # fmt: skip
    record_event(session, org_id=thread.org_id, actor=asker.email, user_id=asker.user_id,
                 entity="catchball", key=str(thread.id), change=kind, after=after,
                 origin=asker.origin)  # fmt: skip
    announce.catchball_step(
        session, org=answer.org, thread=thread, actor=(asker.email, asker.label, asker.person),
        side=side, kind=kind, comment=comment, now=answer.now,
    )  # fmt: skip


def _get(session: Session, org: OrganizationRow, thread_id: int) -> CatchballRow:
    thread = find_thread(session, org_id=org.id, thread_id=thread_id)
    if thread is None:
        raise NotFound(f"no catchball thread {thread_id}")
    return thread


def _require_open(thread: CatchballRow) -> None:
    if thread.status != "open":
        raise Conflict(f"catchball thread {thread.id} is {thread.status}: nothing to answer")


def _thread_problems(
    session: Session, org: OrganizationRow, unit: str, lead: str
) -> list[dict[str, str]]:
    if find_row(session, UnitRow, org_id=org.id, key=unit) is None:
        return [detail("unit", f"unknown unit '{unit}'")]
    person = find_person(session, org_id=org.id, key=lead)
    if person is None:
        return [detail("lead", f"unknown person '{lead}'")]
    if person.unit != unit:
        return [detail("lead", f"{person.name} is not a person of unit {unit}")]
    return []


def _names(session: Session, org: OrganizationRow, thread: CatchballRow) -> dict[str, str]:
    """The names of the thread's unit and lead (their ids when they are gone from the plan)."""
    units, people = names_of(session, org_id=org.id, units={thread.unit}, people={thread.lead})
    return {
        "unit": units.get(thread.unit, thread.unit),
        "lead": people.get(thread.lead, thread.lead),
    }


def _refuse(what: str, problems: list[dict[str, str]]) -> None:
    if problems:
        fields = ", ".join(dict.fromkeys(item["field"] for item in problems))
        raise InvalidInput(f"{what} breaks the plan's rules ({fields})", problems)


def flat(fields: dict[str, Any]) -> dict[str, Any]:
    """A round's fields as one level: ``metric.target`` and so on."""
    metric = fields.get("metric") or {}
    values = {key: value for key, value in fields.items() if key != "metric"}
    return {**values, **{f"metric.{key}": value for key, value in metric.items()}}


def thread_state(thread: CatchballRow, names: dict[str, str]) -> dict[str, Any]:
    """A thread without its rounds as JSON values (as the audit trail keeps it)."""
    return thread_of(thread, names).as_json()


def thread_of(thread: CatchballRow, names: dict[str, str]) -> Thread:
    """A thread without its rounds, its unit and lead named by ``names`` (else their ids)."""
    return Thread(
        id=thread.id, title=thread.title, unit=thread.unit,
        unit_name=names.get("unit", thread.unit), lead=thread.lead,
        lead_name=names.get("lead", thread.lead), proposer=thread.proposer,
        proposer_name=thread.proposer_name, status=thread.status, turn=thread.turn,
        round_count=thread.rounds, created_at=thread.created_at, updated_at=thread.updated_at,
        agreed_by=thread.agreed_by, agreed_at=thread.agreed_at, objective=thread.objective,
        version=thread.version,
    )  # fmt: skip


def _known(thread: Thread, said: dict[str, str], accepter: str | None) -> Thread:
    """The thread with its proposer and whoever accepted it (``accepter``, an email) named
    as the organisation knows them (``said``, store.audit.actor_names: the person of the
    plan they are linked to, else their account's name), else as the thread keeps them
    (the account's name then, else the email)."""
    agreed_by = thread.agreed_by if accepter is None else said.get(accepter, thread.agreed_by)
    return replace(
        thread, proposer_name=said.get(thread.proposer, thread.proposer_name), agreed_by=agreed_by
    )


def _rounds(rounds: list[CatchballRoundRow], said: dict[str, str]) -> tuple[ThreadRound, ...]:
    """The rounds, each author named as the organisation knows them (see ``_known``)."""
    items: list[ThreadRound] = []
    before: dict[str, Any] | None = None
    for row in rounds:
        now = flat(row.fields)
        changed = [] if before is None else [f for f in FIELDS if now.get(f) != before.get(f)]
        author_name = said.get(row.author, row.author_name)
        items.append(ThreadRound(
            row.number, row.side, row.kind, row.author, author_name, row.at,
            dict(row.fields), tuple(changed), row.comment,
        ))  # fmt: skip
        before = now
    return tuple(items)
