"""Catchball tells the other party of each step, on SQLite and PostgreSQL.

The clinic (notice_support): ward-a is led by ben (account ben@x.example, plan person ben,
no address in the plan: his account's is used); ana is an editor linked to the person ana
(Ana Lima, ana@riverside.example); the admin is no person and has no name. Every step is
also a webhook call to the clinic's one webhook.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from notice_support import called, mailed, make_clinic, notification, told
from sqlalchemy.orm import Session

from hoshin.errors import InvalidInput
from hoshin.service import catchball
from hoshin.service.asker import Asker
from hoshin.service.catchball import Answer
from hoshin.service.proposal import MetricFields, Proposal
from hoshin.store.organization import OrganizationRow

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
TITLE = "Cut night falls on Ward A"
PROPOSAL = Proposal(TITLE, "A1", 2.0, "2027-06", MetricFields("Night falls", "decrease", 10, 5))
COUNTER = Proposal(TITLE, "A1", 2.0, "2027-06", MetricFields("Night falls", "decrease", 10, 7))


@pytest.fixture
def clinic(session: Session, cheap_hashing: None) -> tuple[OrganizationRow, dict[str, Asker]]:
    return make_clinic(session)


def test_each_step_is_told_to_the_other_party_once(
    session: Session, clinic: tuple[OrganizationRow, dict[str, Asker]]
) -> None:
    """Thread 1: ana proposes to ben (round 1: ben is told), ben counters (round 2: ana is
    told), ana accepts (round 3: ben is told, CB1 joins the plan). Three notices, each to
    the side that did not move, each e-mailed (ben at his account's address)."""
    org, people = clinic
    ana, ben = people["ana"], people["ben"]
    thread = catchball.propose(session, org=org, asker=ana, unit="ward-a", lead="ben",
                               proposal=PROPOSAL, now=NOW)["id"]  # fmt: skip
    catchball.counter_propose(
        session, answer=Answer(org, ben, thread, 1, NOW, "7 is enough"), proposal=COUNTER
    )
    catchball.accept(session, answer=Answer(org, ana, thread, 2, NOW, "Fine"))
    session.commit()
    item = f"catchball:{thread}|"
    assert told(session, org) == [
        ("ben", f"catchball:propose-1|ben|{item}", f"Ana Lima proposed '{TITLE}' (round 1)"),
        ("ana", f"catchball:counter-2|ana|{item}",
         f"Ben Ode counter-proposed '{TITLE}' (round 2)"),
        ("ben", f"catchball:accept-3|ben|{item}", f"Ana Lima accepted '{TITLE}' (round 3)"),
    ]  # fmt: skip
    countered = notification(session, org, f"catchball:counter-2|ana|{item}")
    assert (countered.body, countered.link) == ("7 is enough", f"/orgs/clinic/catchball/{thread}")
    accepted = notification(session, org, f"catchball:accept-3|ben|{item}")
    assert accepted.body == "Fine\nIt joins the plan as CB1."
    assert mailed(session, org) == [
        ("ben@x.example", f"Ana Lima proposed '{TITLE}' (round 1)"),
        ("ana@riverside.example", f"Ben Ode counter-proposed '{TITLE}' (round 2)"),
        ("ben@x.example", f"Ana Lima accepted '{TITLE}' (round 3)"),
    ]
    calls = called(session, org)
    assert [(event, subject) for event, subject, _ in calls] == [
        ("catchball.proposed", TITLE), ("catchball.countered", TITLE),
        ("catchball.accepted", TITLE),
    ]  # fmt: skip
    assert calls[2][2]["objective"] == "CB1" and calls[1][2]["round"] == 2
    assert calls[1][2]["by"] == "Ben Ode" and calls[1][2]["side"] == "unit"


def test_a_proposer_who_is_no_person_is_not_told_but_the_lead_is(
    session: Session, clinic: tuple[OrganizationRow, dict[str, Asker]]
) -> None:
    """The admin (no person, no name: named by his email) proposes to ben, ben counters,
    the admin withdraws: ben is told of rounds 1 and 3; round 2 is told to nobody (the
    proposer is no person of the plan), yet the webhook hears all three."""
    org, people = clinic
    admin, ben = people["admin"], people["ben"]
    thread = catchball.propose(session, org=org, asker=admin, unit="ward-a", lead="ben",
                               proposal=PROPOSAL, now=NOW)["id"]  # fmt: skip
    catchball.counter_propose(
        session, answer=Answer(org, ben, thread, 1, NOW, "7 is enough"), proposal=COUNTER
    )
    catchball.withdraw(session, answer=Answer(org, admin, thread, 2, NOW, "Not this year"))
    session.commit()
    item = f"catchball:{thread}|"
    assert told(session, org) == [
        ("ben", f"catchball:propose-1|ben|{item}",
         f"admin@x.example proposed '{TITLE}' (round 1)"),
        ("ben", f"catchball:withdraw-3|ben|{item}",
         f"admin@x.example withdrew '{TITLE}' (round 3)"),
    ]  # fmt: skip
    assert [event for event, _, _ in called(session, org)] == [
        "catchball.proposed", "catchball.countered", "catchball.withdrawn",
    ]  # fmt: skip


def test_nobody_is_told_of_their_own_step_or_of_a_refused_one(
    session: Session, clinic: tuple[OrganizationRow, dict[str, Asker]]
) -> None:
    """ana proposes to the unit clinic's lead, herself: she is the other party and the one
    who moved, so nobody is told. ben's counter without a comment is refused: nothing."""
    org, people = clinic
    ana, ben = people["ana"], people["ben"]
    own = Proposal("Audit every ward", "B1", 1.0, "2027-06",
                   MetricFields("Wards audited", "increase", 0, 5))  # fmt: skip
    catchball.propose(session, org=org, asker=ana, unit="clinic", lead="ana", proposal=own,
                      now=NOW)  # fmt: skip
    thread = catchball.propose(session, org=org, asker=ana, unit="ward-a", lead="ben",
                               proposal=PROPOSAL, now=NOW)["id"]  # fmt: skip
    with pytest.raises(InvalidInput):
        catchball.counter_propose(session, answer=Answer(org, ben, thread, 1, NOW),
                                  proposal=COUNTER)  # fmt: skip
    session.commit()
    assert [(person, title) for person, _, title in told(session, org)] == [
        ("ben", f"Ana Lima proposed '{TITLE}' (round 1)"),
    ]
    assert [subject for _, subject, _ in called(session, org)] == ["Audit every ward", TITLE]
