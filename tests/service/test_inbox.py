"""A person's notifications (the bell), on SQLite and PostgreSQL: newest first a page at a
time, the unread count, marking one or all read, and no one else's.

The clinic is examples/small.yaml (people ana and ben); a second organisation 'other' has
the same plan, so 'ben' is a person there too. Notifications are made the real way, by
service.notify.tell.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from factories import make_organization
from hoshin.domain.notices import Notice
from hoshin.errors import NotFound
from hoshin.planfile import read_plan
from hoshin.service import inbox, notify
from hoshin.service.asker import Who
from hoshin.service.preferences import save_preferences
from hoshin.service.versioned import Change
from hoshin.store.organization import OrganizationRow

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
NOON = datetime(2026, 6, 15, 12, tzinfo=UTC)


def comment(person: str, item: str, title: str) -> Notice:
    """A comment notice (not a reminder: the quiet rule lets every one through)."""
    return Notice("comment", person, "objective", item, "2026-06", title,
                  body="Ana wrote a comment", link=f"/orgs/clinic/objectives/{item}")  # fmt: skip


@pytest.fixture
def orgs(session: Session) -> tuple[OrganizationRow, OrganizationRow]:
    clinic = make_organization(session, slug="clinic", name="Riverside Clinic", plan=SMALL)
    other = make_organization(session, slug="other", name="Other", plan=SMALL)
    session.commit()
    return clinic, other


def told(session: Session, org: OrganizationRow, notices: list[Notice], at: datetime) -> None:
    assert notify.tell(session, org=org, notices=notices, now=at) == notices
    session.commit()


def test_a_page_is_newest_first_with_the_totals(
    session: Session, orgs: tuple[OrganizationRow, OrganizationRow]
) -> None:
    clinic, _ = orgs
    # three comments to ben, an hour apart: B1 at 12:00, A1 at 13:00, T1 at 14:00
    for hours, item in enumerate(("B1", "A1", "T1")):
        told(session, clinic, [comment("ben", item, f"On {item}")], NOON + timedelta(hours=hours))
    first = inbox.list_notifications(session, org=clinic, person="ben", limit=2, offset=0)
    assert [n["item"] for n in first.items] == ["T1", "A1"]
    assert (first.total, first.unread, first.limit, first.offset) == (3, 3, 2, 0)
    second = inbox.list_notifications(session, org=clinic, person="ben", limit=2, offset=2)
    assert [n["item"] for n in second.items] == ["B1"]
    oldest = second.items[0]
    assert oldest["title"] == "On B1" and oldest["link"] == "/orgs/clinic/objectives/B1"
    assert oldest["event_label"] == "A comment mentions me or lands on my objective"
    assert oldest["read"] is False and oldest["read_at"] is None
    assert oldest["created_at"] == NOON.isoformat()


def test_marking_read_lowers_the_count_once(
    session: Session, orgs: tuple[OrganizationRow, OrganizationRow]
) -> None:
    clinic, _ = orgs
    told(session, clinic, [comment("ben", "A1", "On A1"), comment("ben", "T1", "On T1")], NOON)
    first, second = inbox.list_notifications(session, org=clinic, person="ben").items
    assert inbox.unread_count(session, org=clinic, person="ben") == 2
    read = inbox.mark_read(session, org=clinic, person="ben", notification_id=first["id"],
                           now=NOON + timedelta(minutes=5))  # fmt: skip
    session.commit()
    assert read["read"] is True
    assert inbox.unread_count(session, org=clinic, person="ben") == 1  # 2 - 1
    # read again later: it keeps the moment it was first read, and the count stays 1
    again = inbox.mark_read(session, org=clinic, person="ben", notification_id=first["id"],
                            now=NOON + timedelta(hours=1))  # fmt: skip
    assert again["read_at"] == read["read_at"]
    assert inbox.unread_count(session, org=clinic, person="ben") == 1
    unread = inbox.list_notifications(session, org=clinic, person="ben", unread_only=True)
    assert [n["id"] for n in unread.items] == [second["id"]] and unread.total == 1


def test_mark_all_read_marks_only_the_persons_own_in_their_organisation(
    session: Session, orgs: tuple[OrganizationRow, OrganizationRow]
) -> None:
    clinic, other = orgs
    told(session, clinic, [comment("ben", "A1", "A1"), comment("ben", "T1", "T1"),
                           comment("ana", "B1", "B1")], NOON)  # fmt: skip
    told(session, other, [comment("ben", "A1", "A1 elsewhere")], NOON)
    assert inbox.mark_all_read(session, org=clinic, person="ben", now=NOON) == 2
    session.commit()
    assert inbox.unread_count(session, org=clinic, person="ben") == 0
    assert inbox.unread_count(session, org=clinic, person="ana") == 1  # not ben's
    assert inbox.unread_count(session, org=other, person="ben") == 1  # another organisation
    assert inbox.mark_all_read(session, org=clinic, person="ben", now=NOON) == 0


def test_another_persons_or_organisations_notification_is_not_found(
    session: Session, orgs: tuple[OrganizationRow, OrganizationRow]
) -> None:
    clinic, other = orgs
    told(session, clinic, [comment("ana", "B1", "For Ana")], NOON)
    anas = inbox.list_notifications(session, org=clinic, person="ana").items[0]["id"]
    with pytest.raises(NotFound, match=f"no notification {anas}"):
        inbox.mark_read(session, org=clinic, person="ben", notification_id=anas, now=NOON)
    with pytest.raises(NotFound):
        inbox.get_notification(session, org=other, person="ana", notification_id=anas)
    assert inbox.list_notifications(session, org=other, person="ana").items == []
    assert inbox.unread_count(session, org=clinic, person="ana") == 1  # still unread


def test_e_mail_only_notifications_are_not_under_the_bell(
    session: Session, orgs: tuple[OrganizationRow, OrganizationRow]
) -> None:
    clinic, _ = orgs
    save_preferences(
        session, change=Change(clinic, Who("ana@clinic.example")), person="ana",
        channels={"comment": "email"}, daily_digest=False, weekly_digest=True, now=NOON,
    )  # fmt: skip
    told(session, clinic, [comment("ana", "B1", "By e-mail only")], NOON)
    assert inbox.unread_count(session, org=clinic, person="ana") == 0
    assert inbox.list_notifications(session, org=clinic, person="ana").total == 0
