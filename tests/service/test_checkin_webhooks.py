"""Each recorded actual is published to the organisation's webhooks as actual.recorded, in
the check-in's transaction, on SQLite and PostgreSQL: one at a time (record_actual), many
(record_actuals) and the group commit's batch (new_actual, record_new_actuals).

The clinic (notice_support, examples/small.yaml) has one webhook hearing every event; its
metrics: falls (of B1, actuals up to 2026-05), huddles and trained (of A1 and T1).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from notice_support import called, make_clinic
from sqlalchemy import update
from sqlalchemy.orm import Session

from hoshin.domain.months import Month
from hoshin.service.asker import Asker, Who
from hoshin.service.checkin import (
    ActualIn,
    NewActual,
    new_actual,
    record_actual,
    record_actuals,
    record_new_actuals,
)
from hoshin.store.notification import WebhookRow
from hoshin.store.organization import OrganizationRow

NOW = datetime(2026, 7, 2, 8, tzinfo=UTC)
JUNE = Month.parse("2026-06")
WHO = Who("tests")
Clinic = tuple[OrganizationRow, dict[str, Asker]]


@pytest.fixture
def clinic(session: Session, cheap_hashing: None) -> Clinic:
    return make_clinic(session)


def recorded(session: Session, org: OrganizationRow) -> list[tuple[str, Any, Any, Any, Any]]:
    """(subject, period, value, objective, version) of each actual.recorded call queued."""
    return [
        (subject, data["period"], data["value"], data["objective"], data["version"])
        for event, subject, data in called(session, org)
        if event == "actual.recorded"
    ]


def test_each_actual_and_each_correction_is_published_once(
    session: Session, clinic: Clinic
) -> None:
    """falls for June is 20, then corrected to 19 (version 2); then huddles 70 and
    trained 12 in one call: four calls, each of its own version."""
    org, _ = clinic
    record_actual(session, org=org, role="admin", person=None, metric="falls", period=JUNE,
                  value=20, if_match=None, who=WHO, now=NOW)  # fmt: skip
    record_actual(session, org=org, role="admin", person=None, metric="falls", period=JUNE,
                  value=19, if_match=1, who=WHO, now=NOW)  # fmt: skip
    record_actuals(session, org=org, role="admin", person=None, who=WHO, now=NOW, actuals=[
        ActualIn("huddles", "2026-06", 70), ActualIn("trained", "2026-06", 12),
    ])  # fmt: skip
    session.commit()
    assert recorded(session, org) == [
        ("falls", "2026-06", 20.0, "B1", 1),
        ("falls", "2026-06", 19.0, "B1", 2),
        ("huddles", "2026-06", 70.0, "A1", 1),
        ("trained", "2026-06", 12.0, "T1", 1),
    ]
    [(_, _, data)] = [call for call in called(session, org) if call[2]["version"] == 2]
    assert data["link"] == "/orgs/clinic/objectives/B1"


def test_the_group_commits_batch_publishes_what_it_saved(session: Session, clinic: Clinic) -> None:
    """Three new actuals checked, one of them twice (the first wins, the second is a 428):
    two are saved and published; a month that had its actual is nobody's new actual."""
    org, _ = clinic
    asked = [("huddles", 70.0), ("trained", 12.0), ("huddles", 71.0)]
    new = [
        new_actual(session, org=org, role="admin", person=None, metric=metric, period=JUNE,
                   value=value, if_match=None, who=WHO, now=NOW)
        for metric, value in asked
    ]  # fmt: skip
    assert all(isinstance(item, NewActual) for item in new)
    record_new_actuals(session, [item for item in new if item is not None])
    session.commit()
    assert recorded(session, org) == [
        ("huddles", "2026-06", 70.0, "A1", 1), ("trained", "2026-06", 12.0, "T1", 1),
    ]  # fmt: skip


def test_nothing_is_queued_for_a_webhook_that_hears_other_events(
    session: Session, clinic: Clinic
) -> None:
    """The clinic's webhook narrowed to comment.created: a check-in queues nothing."""
    org, _ = clinic
    session.execute(update(WebhookRow).values(events=["comment.created"]))
    record_actual(session, org=org, role="admin", person=None, metric="falls", period=JUNE,
                  value=20, if_match=None, who=WHO, now=NOW)  # fmt: skip
    session.commit()
    assert called(session, org) == []
