"""What a change tells: the notices (service.notify.tell) and webhook events
(service.notify.publish) of a catchball step, a comment, and a monthly review's meeting and
minutes. The service function that makes the change calls these in its transaction, so the
change and what it tells are saved together or not at all.

Who is told is named by plan person: a thread's proposer is the person their account is
linked to (or whose email they have), a comment's mention ``@id`` is a person's plan id
(any case), a review's attendee line is a person's id or exact name. Someone who is no
person of the plan is not told in-app or by e-mail; the webhooks still hear of the change.
The one who made the change is never told of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from hoshin.domain.mentions import mentioned
from hoshin.domain.notices import Notice
from hoshin.service.notify import publish, tell
from hoshin.store.audit import actor_names
from hoshin.store.catchball import CatchballRow, proposer_person
from hoshin.store.objective import ObjectiveRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import find_row
from hoshin.store.review import CommentRow
from hoshin.store.search import by_keys, by_keys_any_case, named
from hoshin.store.unit import UnitRow

# A catchball step: how a notice says it, and the webhook event it is.
STEPS = {
    "propose": ("proposed", "catchball.proposed"),
    "counter": ("counter-proposed", "catchball.countered"),
    "accept": ("accepted", "catchball.accepted"),
    "withdraw": ("withdrew", "catchball.withdrawn"),
}
BODY_LENGTH = 500  # of a comment quoted in a notice; the link leads to all of it


def catchball_step(
    session: Session,
    *,
    org: OrganizationRow,
    thread: CatchballRow,
    actor: tuple[str, str, str | None],
    side: str,
    kind: str,
    comment: str,
    now: datetime,
) -> None:
    """Tells the other party of ``thread`` of the step ``kind`` (its round thread.rounds)
    that ``actor`` (email, account name, plan person) made for ``side``: the unit's lead
    when the proposer's side moved, else the proposer; publishes catchball.<step>."""
    number, (said, event) = thread.rounds, STEPS[kind]
    email, label, person = actor
    name = actor_names(session, org_id=org.id, emails={email}).get(email, label)
    title = f"{name} {said} '{thread.title}' (round {number})"
    link = f"/orgs/{org.slug}/catchball/{thread.id}"
    body = _cut(comment)
    if kind == "accept" and thread.objective:
        body = "\n".join(filter(None, (body, f"It joins the plan as {thread.objective}.")))
    other = thread.lead if side == "proposer" else proposer_person(session, thread=thread)
    data = {
        "thread": thread.id, "round": number, "step": kind, "side": side, "by": name,
        "unit": thread.unit, "lead": thread.lead, "objective": thread.objective,
        "title": title, "body": body, "link": link,
    }  # fmt: skip
    if other is not None and other != person:
        notice = Notice("catchball", other, "catchball", str(thread.id), "", title, body, link,
                        variant=f"{kind}-{number}", data=data)  # fmt: skip
        tell(session, org=org, notices=[notice], now=now)
    key = f"{event}|{thread.id}|{number}"
    publish(session, org=org, events=[(event, thread.title, data, key)], now=now)


def comment_made(
    session: Session,
    *,
    org: OrganizationRow,
    objective: ObjectiveRow,
    comment: CommentRow,
    author: str | None,
    now: datetime,
) -> list[str]:
    """Tells each person the comment mentions (``@id``, any case; unknown ids are text), and
    the objective's owner unless they wrote it or are mentioned; ``author`` is the writer's
    plan person. Publishes comment.created. Returns the ids of the people mentioned."""
    people = mentioned_people(session, org=org, text=comment.body)
    writer = actor_names(session, org_id=org.id, emails={comment.author})
    name = writer.get(comment.author, comment.author)
    what = f"{objective.key} {objective.title}"
    link = f"/orgs/{org.slug}/objectives/{quote(objective.key, safe='')}#comment-{comment.id}"
    body = _cut(comment.body)
    told = [(key, "mention", f"{name} mentioned you on {what}") for key in people]
    if objective.owner and objective.owner not in people:
        told.append((objective.owner, "on-mine", f"{name} commented on your objective {what}"))
    data = {
        "comment": comment.id, "objective": objective.key, "author": name,
        "mentions": people, "body": body, "link": link,
    }  # fmt: skip
    notices = [
        Notice("comment", person, "comment", str(comment.id), "", title, body, link,
               variant=variant, data=data)
        for person, variant, title in told if person != author
    ]  # fmt: skip
    tell(session, org=org, notices=notices, now=now)
    key = f"comment.created|{comment.id}"
    publish(session, org=org, events=[("comment.created", what, data, key)], now=now)
    return people


def mentioned_people(session: Session, *, org: OrganizationRow, text: str) -> list[str]:
    """The plan ids of the people ``text`` mentions (domain.mentions), in order, each once."""
    mentions = mentioned(text)
    if not mentions:
        return []
    wanted = {candidate for candidates in mentions for candidate in candidates}
    rows = by_keys_any_case(session, org_id=org.id, kind="people", keys=wanted)
    exact = {row[0] for row in rows}
    folded: dict[str, str] = {}
    for row in sorted(rows):  # the same id in two cases: the first in order, every time
        folded.setdefault(row[0].lower(), row[0])
    found: list[str] = []
    for candidates in mentions:
        for candidate in candidates:
            key = candidate if candidate in exact else folded.get(candidate.lower())
            if key is not None:
                if key not in found:
                    found.append(key)
                break
    return found


def review_saved(
    session: Session,
    *,
    org: OrganizationRow,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    actor: tuple[str, str | None],
    now: datetime,
) -> None:
    """Tells the review's attendees and its unit's lead (not ``actor``: email, plan person)
    when its meeting is set or moved (and attendees added to a scheduled meeting), or when
    its minutes (decisions or notes) are recorded the first time; publishes
    review.scheduled and review.recorded."""
    meeting, unit, period = after["meeting_at"], after["unit"], after["period"]
    moved = meeting is not None and (before is None or before["meeting_at"] != meeting)
    joined = before is not None and before["attendees"] != after["attendees"]
    scheduled = meeting is not None and (moved or joined)
    minutes = _has_minutes(after) and (before is None or not _has_minutes(before))
    if not (scheduled or minutes):
        return  # most saves: nothing to tell, no query
    row = find_row(session, UnitRow, org_id=org.id, key=unit)
    unit_name = unit if row is None else row.name
    people = attendees_of(session, org=org, lines=after["attendees"])
    if row is not None and row.lead and row.lead not in people:
        people.append(row.lead)
    people = [person for person in people if person != actor[1]]
    email = actor[0]
    name = actor_names(session, org_id=org.id, emails={email}).get(email, email)
    item = f"{unit}:{period}"
    link = f"/orgs/{org.slug}/reviews/monthly/{quote(unit, safe='')}/{period}"
    data: dict[str, Any] = {"unit": unit, "period": period, "meeting_at": meeting,
                            "link": link, "by": name}  # fmt: skip
    notices, events = [], []
    if scheduled:
        when = f"{datetime.fromisoformat(meeting):%Y-%m-%d %H:%M} UTC"
        verb = "moved to" if moved and before is not None and before["meeting_at"] else "meets"
        title = f"The monthly review of {unit_name} for {period} {verb} {when}"
        body = f"Scheduled by {name}."
        notices += _each(people, item, period, title, body, link, f"scheduled-{meeting}", data)
        if moved:
            events.append(("review.scheduled", f"{unit_name} {period}", {**data, "title": title},
                           f"review.scheduled|{item}|{meeting}"))  # fmt: skip
    if minutes:
        title = f"The minutes of {unit_name}'s monthly review for {period} are recorded"
        body = "; ".join(after["decisions"]) or _cut(after["notes"])
        said = {**data, "title": title, "body": body, "decisions": after["decisions"]}
        notices += _each(people, item, period, title, f"Recorded by {name}. {body}".strip(),
                         link, "minutes", said)  # fmt: skip
        events.append(("review.recorded", f"{unit_name} {period}", said, f"review.recorded|{item}"))
    tell(session, org=org, notices=notices, now=now)
    publish(session, org=org, events=events, now=now)


def attendees_of(session: Session, *, org: OrganizationRow, lines: Sequence[str]) -> list[str]:
    """The plan ids of the people the attendee lines name: a line that is a person's id, else
    the exact name (any case) of one person; other lines (a guest, a name several people
    share) name nobody."""
    if not lines:
        return []
    ids = {row[0] for row in by_keys(session, org_id=org.id, kind="people", keys=lines)}
    found: list[str] = []
    for line in lines:
        if line in ids:
            key: str | None = line
        else:
            same = named(session, org_id=org.id, kind="people", name=line, limit=2)
            key = same[0][0] if len(same) == 1 else None
        if key is not None and key not in found:
            found.append(key)
    return found


def _each(
    people: Iterable[str],
    item: str,
    period: str,
    title: str,
    body: str,
    link: str,
    variant: str,
    data: dict[str, Any],
) -> list[Notice]:
    return [Notice("review", person, "review", item, period, title, body, link, variant, data)
            for person in people]  # fmt: skip


def _has_minutes(state: dict[str, Any]) -> bool:
    return bool(state["decisions"] or state["notes"])


def _cut(text: str) -> str:
    text = text.strip()
    return text if len(text) <= BODY_LENGTH else text[: BODY_LENGTH - 1].rstrip() + "…"
