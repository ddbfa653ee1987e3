"""The monthly review pack: the review page of a unit's month, printed for the meeting (A4
portrait, read page by page): a cover with the contents, every red and amber metric with
its bowling chart and the month's countermeasures, the missing countermeasures, the late
actions, and the decisions and minutes once the review is recorded."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from hoshin.domain.model import Action
from hoshin.domain.months import Month
from hoshin.domain.status import BowlingCell, bowling
from hoshin.errors import NotFound
from hoshin.service import view
from hoshin.service.analysis import Analysed, AnalysisCache
from hoshin.service.document.pdf import render_pdf
from hoshin.service.review import Behind, find_recorded_review, monthly_agenda
from hoshin.store import organization as org_store
from hoshin.store.organization import OrganizationRow


class BehindRow(NamedTuple):
    """A red or amber metric of the month with its fiscal year's bowling chart."""

    item: Behind
    cells: list[BowlingCell]
    places: int  # the metric's decimals: its figures as the pages show them


class LateRow(NamedTuple):
    """A late action: how many days late on the as-of day, and its owner's name."""

    action: Action
    days: int
    owner: str


def review_pack(
    session: Session, *, org: OrganizationRow, found: Analysed, unit: str, period: Month
) -> bytes:
    """The review pack of ``unit`` (and the units below it) for ``period`` as PDF; NotFound
    for a unit the plan does not have."""
    context = pack_context(session, org=org, found=found, unit=unit, period=period)
    return render_pdf("review_pack.html", context)


def review_pack_of(session: Session, *, slug: str, unit: str, period: Month, as_of: date) -> bytes:
    """``review_pack`` of the organisation ``slug`` as of ``as_of`` (the command line's);
    NotFound without the organisation or the unit."""
    org = org_store.get_organization(session, slug=slug)
    found = AnalysisCache(organizations=1).get(session, org=org, as_of=as_of)
    return review_pack(session, org=org, found=found, unit=unit, period=period)


def pack_context(
    session: Session, *, org: OrganizationRow, found: Analysed, unit: str, period: Month
) -> dict[str, Any]:
    """What the pack shows: the agenda of the review page, each red and amber metric's
    bowling chart, the late actions with their days late, and the recorded review."""
    plan = found.plan
    units = {u.id: u.name for u in plan.units}
    if unit not in units:
        raise NotFound(f"unknown unit '{unit}'")
    agenda = monthly_agenda(found, unit=unit, period=period)
    recorded = find_recorded_review(session, org=org, unit=unit, period=period)
    people = {p.id: p.name for p in plan.people}
    fiscal = plan.organization.fiscal_year_start
    as_of = found.analysis.as_of
    behind = [
        BehindRow(item, bowling(item.metric, period, fiscal), view.decimals(item.metric))
        for item in agenda.behind
    ]
    late = [
        LateRow(
            late.action,
            (as_of - late.action.due).days if late.action.due is not None else 0,
            people.get(late.action.owner, late.action.owner) if late.action.owner else "",
        )
        for late in agenda.late
    ]
    return {
        "organization": org.name,
        "as_of": as_of,
        "unit": unit,
        "unit_name": units[unit],
        "month": period,
        "agenda": agenda,
        "behind": behind,
        "reds": sum(1 for row in agenda.behind if row.status == "red"),
        "late": late,
        "recorded": recorded,
        # A review saved with only its meeting time has no minutes yet (as on the page).
        "minutes": recorded is not None
        and bool(recorded.attendees or recorded.decisions or recorded.notes),
        "people": people,
    }
