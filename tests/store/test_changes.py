"""The typed change record: what made each plan version, read back from the audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from hoshin.domain.months import Month
from hoshin.planfile import read_plan
from hoshin.service.asker import Who
from hoshin.service.checkin import record_actual
from hoshin.service.objective import update_objective
from hoshin.service.versioned import Change
from hoshin.store.changes import Actual, changes_since
from hoshin.store.organization import create_organization
from hoshin.store.plan import replace_plan

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def test_an_actual_reads_back_as_it_was_written() -> None:
    actual = Actual("falls", Month.of(2026, 3), 4.5, 2, NOW)
    assert actual.key == "falls/2026-03"
    assert Actual.from_json(actual.as_json()) == actual


def test_each_plan_version_names_its_change_and_an_actual_carries_its_value(
    session: Session,
) -> None:
    org = create_organization(session, slug="clinic", name="Clinic")
    plan = read_plan(SMALL)
    replace_plan(session, org=org, plan=plan)
    session.commit()
    start, june, who = org.plan_version, Month.of(2026, 6), Who("test")
    record_actual(
        session, org=org, role="editor", person=None, metric="falls", period=june, value=4.0,
        if_match=None, who=who, now=NOW,
    )  # fmt: skip
    record_actual(
        session, org=org, role="editor", person=None, metric="falls", period=june, value=3.0,
        if_match=1, who=who, now=NOW,
    )  # fmt: skip
    first = plan.objectives[0]
    update_objective(
        session, change=Change(org, who, 1), role="editor",
        objective=replace(first, title="Fewer falls, sooner"),
    )  # fmt: skip
    session.commit()

    changes = changes_since(session, org_id=org.id, after=start, upto=start + 3)

    # start+1: the month's first actual (its version 1); start+2: its correction (version 2);
    # start+3: an objective renamed, which carries no actual.
    saved = [change.actual for change in changes]
    assert [(c.version, c.entity, c.key) for c in changes] == [
        (start + 1, "actual", "falls/2026-06"),
        (start + 2, "actual", "falls/2026-06"),
        (start + 3, "objective", first.id),
    ]
    assert [(a.metric, a.period, a.value, a.version) for a in saved if a is not None] == [
        ("falls", june, 4.0, 1),
        ("falls", june, 3.0, 2),
    ]
    assert saved[2] is None
    assert changes_since(session, org_id=org.id, after=start + 3, upto=start + 3) == []
