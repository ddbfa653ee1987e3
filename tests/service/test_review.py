"""Monthly reviews, reflections, comments and the carry forward, on SQLite and PostgreSQL.

The clinic is examples/small.yaml: ben (unit ward-a) owns A1 and T1; ana (unit clinic,
the parent of ward-a) owns B1. Judged as of 2026-12-31, A1 is unfinished (0.425 vs 0.5,
amber: tests/domain/test_annual.py), so its draft for 2027 is A1-2027 with huddles-2027
from 60 (the baseline of 2026-12) to 100 by 2027-12.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from hoshin.domain.analysis import analyze
from hoshin.domain.annual import carry_forward, fiscal_year
from hoshin.domain.months import Month
from hoshin.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from hoshin.planfile import read_plan
from hoshin.service import reflection, review
from hoshin.service.asker import Who
from hoshin.service.audit import trail
from hoshin.service.organization import OrganizationRow, create_organization
from hoshin.service.reflection import DraftProblems
from hoshin.service.versioned import Change
from hoshin.store.organization import plan_version_of
from hoshin.store.plan import replace_plan
from hoshin.store.plan_load import load_plan

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
NOW = datetime(2027, 1, 15, 9, tzinfo=UTC)
MAY = Month.parse("2026-05")
EDITOR = ("editor", None)
RECORD = {"attendees": ["ben", "Ana Lima"], "decisions": ["Borrow a trainer"], "notes": "ok"}


@pytest.fixture
def clinic(session: Session) -> OrganizationRow:
    org = create_organization(
        session, slug="clinic", name="Riverside Clinic", actor="tests", origin="tests"
    )
    replace_plan(session, org=org, plan=SMALL)
    session.commit()
    return org


def change(org: OrganizationRow, version: int | None = None) -> Change:
    return Change(org, Who("someone@clinic.example"), version)


def test_a_review_is_recorded_then_changed_at_its_version(
    session: Session, clinic: OrganizationRow
) -> None:
    plan_version = plan_version_of(session, org_id=clinic.id)
    made = review.save_monthly_review(
        session,
        change=change(clinic),
        asker=EDITOR,
        unit="ward-a",
        period=MAY,
        record=RECORD,
        now=NOW,
    )
    session.commit()
    assert (made["version"], made["attendees"], made["decisions"]) == (
        1,
        ["ben", "Ana Lima"],
        ["Borrow a trainer"],
    )
    again = {**RECORD, "decisions": ["Borrow a trainer", "Huddle at handover"]}
    with pytest.raises(PreconditionRequired):
        review.save_monthly_review(
            session,
            change=change(clinic),
            asker=EDITOR,
            unit="ward-a",
            period=MAY,
            record=again,
            now=NOW,
        )
    with pytest.raises(PreconditionFailed):
        review.save_monthly_review(
            session,
            change=change(clinic, 2),
            asker=EDITOR,
            unit="ward-a",
            period=MAY,
            record=again,
            now=NOW,
        )
    changed = review.save_monthly_review(
        session,
        change=change(clinic, 1),
        asker=EDITOR,
        unit="ward-a",
        period=MAY,
        record=again,
        now=NOW,
    )
    session.commit()
    assert changed["version"] == 2 and len(changed["decisions"]) == 2
    found = review.find_monthly_review(session, org=clinic, unit="ward-a", period=MAY)
    assert found == changed
    events, _ = trail(session, org=clinic, entity="monthly_review", key=None, limit=10, offset=0)
    assert [e["change"] for e in events] == ["update", "create"]
    assert events[0]["key"] == "ward-a/2026-05"
    # A review is not part of the plan: the cached analyses stay current.
    assert plan_version_of(session, org_id=clinic.id) == plan_version
    items, total = review.list_monthly_reviews(session, org=clinic, unit=None, limit=10, offset=0)
    assert total == 1 and items[0]["unit"] == "ward-a"


@pytest.mark.parametrize(
    ("asker", "unit", "allowed"),
    [
        (("contributor", "ben"), "ward-a", True),  # ben's unit
        (("contributor", "ben"), "clinic", False),  # above ben's unit
        (("contributor", "ana"), "ward-a", True),  # ana's unit clinic is ward-a's parent
        (("contributor", None), "ward-a", False),
        (("viewer", None), "ward-a", False),
        (("admin", None), "clinic", True),
    ],
)
def test_who_may_record_a_review(
    session: Session,
    clinic: OrganizationRow,
    asker: tuple[str, str | None],
    unit: str,
    allowed: bool,
) -> None:
    def save() -> None:
        review.save_monthly_review(
            session,
            change=change(clinic),
            asker=asker,
            unit=unit,
            period=MAY,
            record=RECORD,
            now=NOW,
        )

    if allowed:
        save()
    else:
        with pytest.raises(Forbidden):
            save()


def test_a_review_of_an_unknown_unit_or_too_long_is_refused(
    session: Session, clinic: OrganizationRow
) -> None:
    with pytest.raises(NotFound):
        review.save_monthly_review(
            session,
            change=change(clinic),
            asker=EDITOR,
            unit="nope",
            period=MAY,
            record=RECORD,
            now=NOW,
        )
    with pytest.raises(InvalidInput) as refused:
        review.save_monthly_review(
            session,
            change=change(clinic),
            asker=EDITOR,
            unit="ward-a",
            period=MAY,
            record={"attendees": ["x"] * 201, "decisions": ["y" * 2001]},
            now=NOW,
        )
    problems: list[dict[str, str]] = refused.value.detail  # type: ignore[assignment]
    assert [item["field"] for item in problems] == ["attendees", "decisions"]
    assert review.lines(" ben \n\n Ana Lima\n") == ["ben", "Ana Lima"]


def test_comments_newest_last_and_viewers_only_read(
    session: Session, clinic: OrganizationRow
) -> None:
    for text in ("First", "Second"):
        review.add_comment(
            session,
            change=change(clinic),
            role="contributor",
            objective="A1",
            body=f"  {text} ",
            now=NOW,
        )
    session.commit()
    comments = review.comments_of(session, org=clinic, objective="A1")
    assert [c["body"] for c in comments] == ["First", "Second"]
    assert comments[0]["author"] == "someone@clinic.example"
    with pytest.raises(Forbidden):
        review.add_comment(
            session, change=change(clinic), role="viewer", objective="A1", body="Hi", now=NOW
        )
    with pytest.raises(InvalidInput):
        review.add_comment(
            session, change=change(clinic), role="admin", objective="A1", body="   ", now=NOW
        )
    with pytest.raises(NotFound):
        review.comments_of(session, org=clinic, objective="nope")
    events, _ = trail(session, org=clinic, entity="comment", key=None, limit=10, offset=0)
    assert len(events) == 2


def test_a_reflection_is_written_and_changed_by_its_owner(
    session: Session, clinic: OrganizationRow
) -> None:
    ben = ("contributor", "ben")
    made = reflection.save_reflection(
        session,
        change=change(clinic),
        asker=ben,
        objective="A1",
        year=2026,
        worked="Huddles",
        did_not="Training",
        now=NOW,
    )
    session.commit()
    assert (made["version"], made["worked"], made["did_not"]) == (1, "Huddles", "Training")
    with pytest.raises(PreconditionFailed):
        reflection.save_reflection(
            session,
            change=change(clinic, 5),
            asker=ben,
            objective="A1",
            year=2026,
            worked="",
            did_not="",
            now=NOW,
        )
    changed = reflection.save_reflection(
        session,
        change=change(clinic, 1),
        asker=ben,
        objective="A1",
        year=2026,
        worked="Daily huddles",
        did_not="Training",
        now=NOW,
    )
    assert changed["version"] == 2
    assert reflection.reflections_for(session, org=clinic, year=2026, objectives=["A1", "B1"]) == {
        "A1": changed
    }
    assert reflection.read_reflection(session, org=clinic, objective="A1", year=2027) is None
    with pytest.raises(Forbidden):  # B1 is ana's, of unit clinic
        reflection.save_reflection(
            session,
            change=change(clinic),
            asker=ben,
            objective="B1",
            year=2026,
            worked="",
            did_not="",
            now=NOW,
        )


def test_carry_forward_creates_a1_2027_with_its_metric(
    session: Session, clinic: OrganizationRow
) -> None:
    year = fiscal_year(2026, 1)
    a1 = next(o for o in SMALL.objectives if o.id == "A1")
    assert analyze(SMALL, date(2026, 12, 31)).objectives["A1"].status == "amber"
    draft = carry_forward(a1, year)
    with pytest.raises(Forbidden):
        reflection.create_from_drafts(
            session, change=change(clinic), role="contributor", drafts=[draft]
        )
    assert reflection.create_from_drafts(
        session, change=change(clinic), role="editor", drafts=[draft]
    ) == ["A1-2027"]
    session.commit()
    plan = load_plan(session, org=clinic)
    made = next(o for o in plan.objectives if o.id == "A1-2027")
    assert (made.level, made.owner, made.unit, dict(made.supports)) == (
        "annual",
        "ben",
        "ward-a",
        {"B1": 1.0},
    )
    assert (str(made.start), str(made.end)) == ("2027-01", "2027-12")
    (huddles,) = made.metrics
    assert (huddles.id, huddles.baseline, str(huddles.baseline_period)) == (
        "huddles-2027",
        60,
        "2026-12",
    )
    assert (huddles.target, str(huddles.target_period)) == (100, "2027-12")


def test_carry_forward_is_all_or_none_and_names_each_problem(
    session: Session, clinic: OrganizationRow
) -> None:
    year = fiscal_year(2026, 1)
    a1 = next(o for o in SMALL.objectives if o.id == "A1")
    good = carry_forward(a1, year)
    bad = replace(carry_forward(a1, year), source="X", id="B1", owner="nobody")
    with pytest.raises(DraftProblems) as refused:
        reflection.create_from_drafts(
            session, change=change(clinic), role="admin", drafts=[good, bad]
        )
    problems: dict[str, list[dict[str, str]]] = refused.value.detail  # type: ignore[assignment]
    fields = {item["field"] for item in problems["X"]}
    assert "id" in fields and "owner" in fields
    assert "A1" not in problems
    session.rollback()
    assert all(o.id != "A1-2027" for o in load_plan(session, org=clinic).objectives)


def test_a_draft_id_outside_the_id_alphabet_is_refused_like_at_every_door(
    session: Session, clinic: OrganizationRow
) -> None:
    """The carry-forward's page has no model of its own: the service holds a typed id to
    hoshin.fields.Id, as the plan file, the API and the edit forms do."""
    a1 = next(o for o in SMALL.objectives if o.id == "A1")
    typed = replace(carry_forward(a1, fiscal_year(2026, 1)), id="A1 2027")
    with pytest.raises(DraftProblems) as refused:
        reflection.create_from_drafts(session, change=change(clinic), role="admin", drafts=[typed])
    problems: dict[str, list[dict[str, str]]] = refused.value.detail  # type: ignore[assignment]
    reason = "contains a space, which an id cannot hold: letters, digits, '.', '_' and '-' only"
    assert problems["A1"] == [{"field": "id", "reason": reason}]


def test_a_recorded_review_says_who_recorded_it_by_name(
    session: Session, clinic: OrganizationRow
) -> None:
    # ana@riverside.example is the email of the plan's person ana, Ana Lima (small.yaml);
    # someone@clinic.example is nobody the organisation knows, so the email stays
    for email, said in (("ana@riverside.example", "Ana Lima"), ("someone@clinic.example", None)):
        month = MAY if said else MAY + 1
        review.save_monthly_review(
            session,
            change=Change(clinic, Who(email), None),
            asker=EDITOR,
            unit="ward-a",
            period=month,
            record=RECORD,
            now=NOW,
        )
        found = review.find_recorded_review(session, org=clinic, unit="ward-a", period=month)
        assert found is not None
        assert (found.updated_by, found.recorded_by) == (email, said or email)
