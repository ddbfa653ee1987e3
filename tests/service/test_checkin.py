"""The check-in grid's record (service.checkin.record_as_read), on SQLite and PostgreSQL: a
correction is made at the version of the value the row showed, never over someone's newer
value. The clinic is examples/small.yaml: huddles has 45 in 2026-04 and 60 in 2026-05."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from hoshin.domain.months import Month
from hoshin.errors import InvalidInput, PreconditionFailed, PreconditionRequired
from hoshin.planfile import read_plan
from hoshin.service.asker import Who
from hoshin.service.checkin import Actual, get_actual, record_as_read
from hoshin.service.organization import OrganizationRow, create_organization
from hoshin.store.plan import replace_plan

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
NOW = datetime(2026, 6, 3, 9, tzinfo=UTC)
MAY, JUNE = Month.parse("2026-05"), Month.parse("2026-06")


@pytest.fixture
def clinic(session: Session) -> OrganizationRow:
    org = create_organization(
        session, slug="clinic", name="Riverside Clinic", actor="tests", origin="tests"
    )
    replace_plan(session, org=org, plan=SMALL)
    session.commit()
    return org


def record(
    session: Session,
    org: OrganizationRow,
    period: Month,
    value: float,
    *,
    read: str | None = None,
    version: int | None = None,
) -> Actual:
    saved = record_as_read(
        session, org=org, role="editor", person=None, metric="huddles", period=period,
        value=value, read=read, version=version, who=Who("editor@clinic.example"), now=NOW,
    )  # fmt: skip
    session.commit()
    return saved


def test_a_month_the_row_showed_empty_is_created(session: Session, clinic: OrganizationRow) -> None:
    made = record(session, clinic, JUNE, 55.0)
    assert (made.value, made.version) == (55.0, 1)


def test_a_correction_is_made_at_the_version_of_the_value_shown(
    session: Session, clinic: OrganizationRow
) -> None:
    before = get_actual(session, org=clinic, metric="huddles", period=MAY)
    fixed = record(session, clinic, MAY, 62.0, read="60.0")
    assert (fixed.value, fixed.version) == (62.0, before.version + 1)


def test_a_value_changed_since_it_was_shown_is_not_overwritten(
    session: Session, clinic: OrganizationRow
) -> None:
    with pytest.raises(PreconditionFailed) as stale:
        record(session, clinic, MAY, 30.0, read="54")
    assert stale.value.message == "huddles for 2026-05 is 60 now, not 54: someone changed it"
    session.rollback()
    assert get_actual(session, org=clinic, metric="huddles", period=MAY).value == 60.0


def test_a_value_removed_since_it_was_shown_is_gone(
    session: Session, clinic: OrganizationRow
) -> None:
    with pytest.raises(PreconditionFailed, match="the value 54 of huddles for 2026-06 is gone"):
        record(session, clinic, JUNE, 30.0, read="54")


def test_a_version_read_by_the_client_wins_over_the_value_shown(
    session: Session, clinic: OrganizationRow
) -> None:
    version = get_actual(session, org=clinic, metric="huddles", period=MAY).version
    fixed = record(session, clinic, MAY, 61.0, read="54", version=version)
    assert (fixed.value, fixed.version) == (61.0, version + 1)


def test_a_correction_without_a_value_shown_needs_a_version(
    session: Session, clinic: OrganizationRow
) -> None:
    with pytest.raises(PreconditionRequired):
        record(session, clinic, MAY, 61.0)


def test_a_value_shown_must_be_a_number(session: Session, clinic: OrganizationRow) -> None:
    with pytest.raises(InvalidInput, match="read: 'lots' is not a number"):
        record(session, clinic, MAY, 61.0, read="lots")
