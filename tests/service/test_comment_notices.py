"""A comment tells the people it mentions and the objective's owner, on SQLite and
PostgreSQL.

The clinic (notice_support, examples/small.yaml): ben owns A1 ("Run a daily fall-risk
huddle on 100% of ward days in 2026"), ana owns B1 ("Cut patient falls from 40 to 10 a
month by the end of 2027"); ana's and ben's accounts are linked to their persons (Ana Lima,
Ben Ode), the admin's to none (and he has no name: his email names him).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from notice_support import called, make_clinic, notification, told
from sqlalchemy.orm import Session

from hoshin.service import review
from hoshin.service.asker import Asker
from hoshin.service.versioned import Change
from hoshin.store.organization import OrganizationRow

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
A1 = "A1 Run a daily fall-risk huddle on 100% of ward days in 2026"
B1 = "B1 Cut patient falls from 40 to 10 a month by the end of 2027"
Clinic = tuple[OrganizationRow, dict[str, Asker]]


@pytest.fixture
def clinic(session: Session, cheap_hashing: None) -> Clinic:
    return make_clinic(session)


def comment(session: Session, org: OrganizationRow, who: Asker, objective: str, body: str) -> int:
    state = review.add_comment(
        session, change=Change(org, who.who), role=who.role, objective=objective, body=body,
        now=NOW, person=who.person,
    )  # fmt: skip
    session.commit()
    number: int = state["id"]
    return number


def test_a_mention_tells_that_person_once_and_unknown_names_stay_text(
    session: Session, clinic: Clinic
) -> None:
    """ana on A1: "@BEN" is ben (ids ignore case); "@ana" is herself, the writer: not told;
    "@nobody" names no one and stays as written; an e-mail address mentions nobody. ben
    owns A1 and is mentioned already: one notice, the mention, not a second "on-mine"."""
    org, people = clinic
    text = "@BEN the checklist is late, cc @ana and @nobody (ana@riverside.example)"
    number = comment(session, org, people["ana"], "A1", text)
    assert told(session, org) == [
        ("ben", f"comment:mention|ben|comment:{number}|", f"Ana Lima mentioned you on {A1}"),
    ]
    said = notification(session, org, f"comment:mention|ben|comment:{number}|")
    assert (said.body, said.link) == (text, f"/orgs/clinic/objectives/A1#comment-{number}")
    assert review.comments_of(session, org=org, objective="A1")[0]["body"] == text
    [(event, subject, data)] = called(session, org)
    assert (event, subject) == ("comment.created", A1)
    assert (data["mentions"], data["author"], data["comment"]) == (["ben", "ana"], "Ana Lima",
                                                                   number)  # fmt: skip


def test_the_owner_is_told_of_a_comment_on_their_objective(
    session: Session, clinic: Clinic
) -> None:
    """The admin (no person) comments on ana's B1: ana is told "on-mine". ben then writes
    "@ana." (a full stop ends the sentence, not the id): ana is told of the mention, and
    only of it (she is the owner, mentioned already)."""
    org, people = clinic
    first = comment(session, org, people["admin"], "B1", "Falls are down in May")
    second = comment(session, org, people["ben"], "B1", "Ward A helped, thanks @ana.")
    assert told(session, org) == [
        ("ana", f"comment:on-mine|ana|comment:{first}|",
         f"admin@x.example commented on your objective {B1}"),
        ("ana", f"comment:mention|ana|comment:{second}|", f"Ben Ode mentioned you on {B1}"),
    ]  # fmt: skip


def test_nobody_is_told_of_a_comment_on_their_own_objective(
    session: Session, clinic: Clinic
) -> None:
    """ben comments on his own A1 and mentions nobody: no notice; the webhook still hears
    of the comment."""
    org, people = clinic
    comment(session, org, people["ben"], "A1", "Huddles every day this week")
    assert told(session, org) == []
    assert [event for event, _, _ in called(session, org)] == ["comment.created"]
