"""Each person's notification settings and the unsubscribe link, on SQLite and PostgreSQL:
saved at the version read and audited; an unknown event or choice refused by name; the link
turns e-mail off (both -> in-app, e-mail -> nothing) for one event or all, audited as the
link's doing, and the next notice is then told in-app only.

The clinic is examples/small.yaml: ana (ana@riverside.example) and ben (no address)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import make_organization
from hoshin.domain.notices import EVENTS, Notice
from hoshin.errors import InvalidInput, NotFound, PreconditionFailed, PreconditionRequired
from hoshin.planfile import read_plan
from hoshin.service import notify, preferences
from hoshin.service.asker import Who
from hoshin.service.versioned import Change
from hoshin.store.audit import list_events
from hoshin.store.notification import OutboxRow
from hoshin.store.organization import OrganizationRow

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
NOON = datetime(2026, 6, 15, 12, tzinfo=UTC)
ANA = Who("ana@clinic.example", None, "tests")


@pytest.fixture
def clinic(session: Session) -> OrganizationRow:
    org = make_organization(session, slug="clinic", name="Riverside Clinic", plan=SMALL)
    session.commit()
    return org


def save(
    session: Session, org: OrganizationRow, version: int | None, **channels: str
) -> notify.Preferences:
    return preferences.save_preferences(
        session, change=Change(org, ANA, version), person="ana", channels=channels,
        daily_digest=True, weekly_digest=False, now=NOON,
    )  # fmt: skip


def test_the_defaults_until_saved_then_each_change_at_its_version(
    session: Session, clinic: OrganizationRow
) -> None:
    before = preferences.get_preferences(session, org=clinic, person="ana")
    assert before.version == 0 and set(before.channels.values()) == {"both"}
    first = save(session, clinic, None, comment="in_app", deadline="none")
    assert first.version == 1 and first.daily_digest and not first.weekly_digest
    assert first.channels["comment"] == "in_app" and first.channels["deadline"] == "none"
    assert first.channels["review"] == "both"  # left out: the default
    assert first.choice("digest") == "none"  # the weekly digest is off
    second = save(session, clinic, 1, comment="email")
    assert second.version == 2 and second.channels["deadline"] == "both"  # a PUT replaces all
    with pytest.raises(PreconditionFailed):
        save(session, clinic, 1, comment="none")  # read at 1, now 2
    with pytest.raises(PreconditionRequired):
        save(session, clinic, None, comment="none")
    session.commit()
    events = list_events(session, org_id=clinic.id, entity="notification_settings", key="ana")
    assert [(e.change, e.actor) for e in events] == [
        ("create", "ana@clinic.example"), ("update", "ana@clinic.example"),
    ]  # fmt: skip
    assert events[1].before is not None and events[1].after is not None
    assert events[1].before["channels"]["comment"] == "in_app"
    assert events[1].after["channels"]["comment"] == "email"
    assert "unsubscribe_token" not in events[1].after  # no secret in the audit trail


def test_an_unknown_event_or_choice_is_named(session: Session, clinic: OrganizationRow) -> None:
    with pytest.raises(InvalidInput) as refused:
        save(session, clinic, None, coffee="both", comment="pigeon")
    assert refused.value.detail == [
        {"field": "channels.coffee", "reason": f"no such event; one of {', '.join(EVENTS)}"},
        {"field": "channels.comment",
         "reason": "no such choice; one of both, email, in_app, none"},
    ]  # fmt: skip


def test_settings_made_for_an_e_mail_need_the_version_read(
    session: Session, clinic: OrganizationRow
) -> None:
    # the first e-mail to ana made her settings (the defaults) for its unsubscribe link
    notify.unsubscribe_tokens(session, org=clinic, people={"ana"}, now=NOON)
    assert preferences.get_preferences(session, org=clinic, person="ana").version == 1
    with pytest.raises(PreconditionRequired):
        save(session, clinic, None, comment="none")
    assert save(session, clinic, 1, comment="none").version == 2


def comment(title: str) -> Notice:
    return Notice("comment", "ana", "objective", "B1", "2026-06", title, variant=title)


def mails(session: Session) -> int:
    return len(session.scalars(select(OutboxRow).where(OutboxRow.channel == "email")).all())


def test_the_link_stops_one_events_e_mails_and_the_next_is_in_app_only(
    session: Session, clinic: OrganizationRow
) -> None:
    told = notify.tell(session, org=clinic, notices=[comment("first")], now=NOON)
    assert len(told) == 1 and mails(session) == 1  # the default: both
    token = notify.unsubscribe_tokens(session, org=clinic, people={"ana"}, now=NOON)["ana"]
    target = preferences.unsubscribe_target(session, token=token, event="comment")
    assert (target.org_name, target.person, target.event) == ("Riverside Clinic", "ana", "comment")
    assert target.label == "A comment mentions me or lands on my objective"
    assert target.emailed == list(EVENTS)  # every event is e-mailed by default
    later = NOON + timedelta(hours=1)
    assert preferences.unsubscribe(session, token=token, event="comment", now=later) == (
        "clinic", "ana", "comment",
    )  # fmt: skip
    session.commit()
    prefs = preferences.get_preferences(session, org=clinic, person="ana")
    assert prefs.channels["comment"] == "in_app" and prefs.channels["review"] == "both"
    notify.tell(session, org=clinic, notices=[comment("second")], now=later)
    assert mails(session) == 1  # no new e-mail: told in-app only
    events = list_events(session, org_id=clinic.id, entity="notification_settings", key="ana")
    assert [(e.change, e.actor) for e in events] == [("update", "unsubscribe link")]


def test_the_link_for_every_event_keeps_only_in_app(
    session: Session, clinic: OrganizationRow
) -> None:
    save(session, clinic, None, comment="email", review="in_app", deadline="none")
    token = notify.unsubscribe_tokens(session, org=clinic, people={"ana"}, now=NOON)["ana"]
    assert preferences.unsubscribe(session, token=token, now=NOON) == ("clinic", "ana", None)
    after = preferences.get_preferences(session, org=clinic, person="ana")
    # email -> none, in_app and none stay, the defaults (both) -> in_app
    assert after.channels["comment"] == "none" and after.channels["review"] == "in_app"
    assert after.channels["deadline"] == "none" and after.channels["metric_red"] == "in_app"
    assert after.version == 2  # saved at 1, then the link


def test_an_unknown_link_or_event_is_refused(session: Session, clinic: OrganizationRow) -> None:
    with pytest.raises(NotFound, match="unsubscribe link is unknown"):
        preferences.unsubscribe(session, token="no-such-token", now=NOON)
    token = notify.unsubscribe_tokens(session, org=clinic, people={"ana"}, now=NOON)["ana"]
    with pytest.raises(InvalidInput, match="event: no such event 'coffee'"):
        preferences.unsubscribe(session, token=token, event="coffee", now=NOON)
