"""Catchball's service on SQLite and PostgreSQL, and My work's lists from the engine.

The plan is examples/small.yaml: ward-a's person is ben, who owns A1 and T1 (metrics
huddles and trained, actuals up to 2026-05) and actions a1 (due 2026-06-30) and a2 (due
2026-07-31); ana owns B1 (metric falls, actuals up to 2026-05), action a3 (due 2026-07-31)
and the open countermeasure cm1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from hoshin.domain.analysis import analyze
from hoshin.domain.months import Month
from hoshin.errors import InvalidInput
from hoshin.planfile import read_plan
from hoshin.service import account, catchball
from hoshin.service.account import Principal
from hoshin.service.asker import Asker
from hoshin.service.catchball import Answer
from hoshin.service.organization import create_organization
from hoshin.service.proposal import MetricFields, Proposal
from hoshin.service.work import owed_by_person
from hoshin.store.audit import list_events
from hoshin.store.organization import OrganizationRow
from hoshin.store.plan import replace_plan

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
PROPOSAL = Proposal("Cut night falls on Ward A", "A1", 2.0, "2027-06",
                    MetricFields("Night falls", "decrease", 10, 5, "falls"))  # fmt: skip


@pytest.fixture
def clinic(session: Session, cheap_hashing: None) -> tuple[OrganizationRow, Asker, Asker]:
    """The clinic's plan, with an admin (no person) and ben (contributor, person ben)."""
    org = create_organization(session, slug="clinic", name="Clinic", actor="tests", origin="tests")
    replace_plan(session, org=org, plan=read_plan(SMALL))
    people = []
    for email, role, person in (("admin@x.example", "admin", None), ("ben@x.example",
                                 "contributor", "ben")):  # fmt: skip
        user = account.add_user(
            session,
            email=email,
            password="pw-a-good-long-secret",
            person=person,
            actor="tests",
            origin="tests",
        )
        account.set_role(
            session, email=email, org_slug="clinic", role=role, actor="tests", origin="tests"
        )
        people.append(Asker(org, role, Principal(user.id, email, "", person), "tests"))
    session.commit()
    return org, people[0], people[1]


def test_an_accepted_proposal_is_marked_as_agreed_on_its_objective(
    session: Session, clinic: tuple[OrganizationRow, Asker, Asker]
) -> None:
    """ben accepts the admin's proposal at once: two rounds; CB1 supports A1 with weight 2;
    agreement_of(CB1) names ben, who accepted (by the plan's name of the person his account
    is linked to: Ben Ode), when, and the thread's page."""
    org, admin, ben = clinic
    thread = catchball.propose(session, org=org, asker=admin, unit="ward-a", lead="ben",
                               proposal=PROPOSAL, now=NOW)  # fmt: skip
    assert catchball.agreement_of(session, org=org, objective="A1") is None
    answer = Answer(org, ben, thread["id"], 1, NOW, "Fine by us")
    done = catchball.accept(session, answer=answer)
    session.commit()
    assert (done["status"], done["objective"], done["round_count"]) == ("agreed", "CB1", 2)
    agreement = catchball.agreement_of(session, org=org, objective="CB1")
    assert agreement is not None
    assert (agreement["agreed_by"], agreement["rounds"]) == ("Ben Ode", 2)
    assert agreement["agreed_at"] == NOW
    assert agreement["url"] == f"/orgs/clinic/catchball/{thread['id']}"
    events = list_events(session, org_id=org.id, entity="catchball")
    assert [e.change for e in events] == ["propose", "accept"]
    assert [e.change for e in list_events(session, org_id=org.id, entity="objective")] == ["create"]


def test_a_counter_proposal_needs_a_comment_and_names_what_changed(
    session: Session, clinic: tuple[OrganizationRow, Asker, Asker]
) -> None:
    """ben counters with target 7 and level individual: the round's changes are exactly
    those two fields; without a comment it is refused on the comment field."""
    org, admin, ben = clinic
    thread = catchball.propose(session, org=org, asker=admin, unit="ward-a", lead="ben",
                               proposal=PROPOSAL, now=NOW)  # fmt: skip
    metric = MetricFields("Night falls", "decrease", 10, 7, "falls")
    changed = Proposal(PROPOSAL.title, "A1", 2.0, "2027-06", metric, "individual")
    with pytest.raises(InvalidInput) as refused:
        catchball.counter_propose(session, answer=Answer(org, ben, thread["id"], 1, NOW),
                                  proposal=changed)  # fmt: skip
    assert refused.value.detail == [{"field": "comment", "reason": "say why you propose a change"}]
    state = catchball.counter_propose(
        session, answer=Answer(org, ben, thread["id"], 1, NOW, "7 is enough"), proposal=changed
    )
    assert state["rounds"][1]["changed"] == ["level", "metric.target"]
    assert state["turn"] == "proposer"


def test_a_thread_names_people_as_the_organisation_knows_them(
    session: Session, clinic: tuple[OrganizationRow, Asker, Asker]
) -> None:
    """admin (an account with no name and no person) proposes, ben counters, carol (an
    editor whose account is named "Carol Day", linked to no person; her sign-in carried no
    name, so the round kept her email) accepts for the proposer's side. By hand: admin is
    his email; ben's account is linked to the person ben, so "Ben Ode" (the plan's name wins
    over his account's "Benny"); carol is her account's name. The objective supported (A1)
    and the one made (CB1) come with their titles."""
    org, admin, ben = clinic
    user = account.add_user(session, email="carol@x.example", password="pw-a-good-long-secret",
                            name="Carol Day", actor="tests", origin="tests")  # fmt: skip
    account.set_role(session, email="carol@x.example", org_slug="clinic", role="editor",
                     actor="tests", origin="tests")  # fmt: skip
    carol = Asker(org, "editor", Principal(user.id, "carol@x.example", "", None), "tests")
    account.get_user(session, email="ben@x.example").name = "Benny"  # his account's own name
    thread = catchball.propose(session, org=org, asker=admin, unit="ward-a", lead="ben",
                               proposal=PROPOSAL, now=NOW)  # fmt: skip
    metric = MetricFields("Night falls", "decrease", 10, 7, "falls")
    changed = Proposal(PROPOSAL.title, "A1", 2.0, "2027-06", metric)
    catchball.counter_propose(session, answer=Answer(org, ben, thread["id"], 1, NOW, "7"),
                              proposal=changed)  # fmt: skip
    catchball.accept(session, answer=Answer(org, carol, thread["id"], 2, NOW))
    read = catchball.get_thread(session, org=org, thread_id=thread["id"])
    assert [r.author_name for r in read.rounds] == ["admin@x.example", "Ben Ode", "Carol Day"]
    assert (read.thread.proposer_name, read.thread.agreed_by) == ("admin@x.example", "Carol Day")
    assert read.objectives == {"A1": "A1 Run a daily fall-risk huddle on 100% of ward days "
                               "in 2026", "CB1": "CB1 Cut night falls on Ward A"}  # fmt: skip
    listed, _ = catchball.list_threads(session, org=org, status="agreed")
    assert [(t.proposer_name, t.agreed_by) for t in listed] == [("admin@x.example", "Carol Day")]
    agreement = catchball.agreement_of(session, org=org, objective="CB1")
    assert agreement is not None and agreement["agreed_by"] == "Carol Day"


def test_owed_by_person_from_the_engines_findings() -> None:
    """As of 2026-07-10 (June's actuals due): ben owes huddles and trained and the late
    a1; ana owes falls and cm1. As of 2026-09-10 (August due) huddles and trained have no
    actual since 2026-06 (overdue), and a2 (due 2026-07-31) is late too."""
    plan = read_plan(SMALL)
    july = owed_by_person(plan, analyze(plan, date(2026, 7, 10)))
    ben, ana = july["ben"], july["ana"]
    assert [(c.metric.id, c.due, c.since) for c in ben.check_ins] == [
        ("huddles", Month.parse("2026-06"), None), ("trained", Month.parse("2026-06"), None)
    ]  # fmt: skip
    assert [item.action.id for item in ben.late_actions] == ["a1"]
    assert ben.countermeasures == []
    assert [c.metric.id for c in ana.check_ins] == ["falls"]
    assert [c.id for c in ana.countermeasures] == ["cm1"]
    assert ana.late_actions == []

    september = owed_by_person(plan, analyze(plan, date(2026, 9, 10)))["ben"]
    since = Month.parse("2026-06")
    assert [(c.metric.id, c.since) for c in september.check_ins] == [
        ("huddles", since), ("trained", since)
    ]  # fmt: skip
    assert [item.action.id for item in september.late_actions] == ["a1", "a2"]
