"""Each person's notification settings: per kind of event, e-mail, in-app, both or none; a
daily digest instead of single e-mails; the weekly digest. Saved at the version read (as
every record: If-Match), audited; and the unsubscribe link of an e-mail, which turns
e-mail off without signing in (its token names the person; it can only turn e-mails off).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.notices import (
    CHOICES,
    DEFAULT_CHOICE,
    EVENT_LABELS,
    EVENTS,
    Choice,
    Event,
    channels_of,
)
from hoshin.errors import InvalidInput, NotFound
from hoshin.service.notify import Preferences, preferences_of
from hoshin.service.versioned import Change, detail, save, save_record
from hoshin.store.audit import record_event
from hoshin.store.inbox import unsubscribing
from hoshin.store.notification import NotificationSettingsRow, settings_of
from hoshin.store.organization import OrganizationRow

KIND = "notification settings"  # in messages: "notification settings ben was changed ..."
ENTITY = "notification_settings"  # in the audit trail
UNSUBSCRIBE_ACTOR = "unsubscribe link"
# What an unsubscribe link leaves of each choice: the in-app part, never the e-mail.
WITHOUT_EMAIL: Mapping[Choice, Choice] = {
    "both": "in_app", "email": "none", "in_app": "in_app", "none": "none",
}  # fmt: skip


def preferences_state(prefs: Preferences) -> dict[str, Any]:
    """A person's preferences as JSON values (every event with its choice), with the version
    (0: never saved, the defaults)."""
    return {
        "person": prefs.person,
        "channels": {event: prefs.channels.get(event, DEFAULT_CHOICE) for event in EVENTS},
        "daily_digest": prefs.daily_digest,
        "weekly_digest": prefs.weekly_digest,
        "calendar": prefs.calendar,
        "version": prefs.version,
    }


def _find(session: Session, org: OrganizationRow, person: str) -> NotificationSettingsRow | None:
    return settings_of(session, org_id=org.id, people={person}).get(person)


def get_preferences(session: Session, *, org: OrganizationRow, person: str) -> Preferences:
    """The person's preferences (the defaults, version 0, until they or a link save some)."""
    return preferences_of(_find(session, org, person), person)


def checked_channels(channels: Mapping[str, str]) -> dict[Event, Choice]:
    """Every event's choice: those given, the default for the others; InvalidInput naming
    ``channels.<event>`` for an unknown event or choice."""
    problems = []
    for event, choice in channels.items():
        if event not in EVENTS:
            problems.append(
                detail(f"channels.{event}", f"no such event; one of {', '.join(EVENTS)}")
            )
        elif choice not in CHOICES:
            problems.append(
                detail(f"channels.{event}", f"no such choice; one of {', '.join(CHOICES)}")
            )
    if problems:
        fields = ", ".join(item["field"] for item in problems)
        raise InvalidInput(f"the notification settings cannot be saved as they are ({fields})",
                           problems)  # fmt: skip
    chosen: dict[Event, Choice] = {event: DEFAULT_CHOICE for event in EVENTS}
    chosen.update({e: c for e, c in channels.items() if e in EVENTS and c in CHOICES})
    return chosen


def save_preferences(
    session: Session,
    *,
    change: Change,
    person: str,
    channels: Mapping[str, str],
    daily_digest: bool,
    weekly_digest: bool,
    now: datetime,
) -> Preferences:
    """Replaces the person's choices (an event left out takes the default): the first save
    creates them, a later one needs the version read (428 without, 412 when stale)."""
    chosen = checked_channels(channels)
    org = change.org
    row = _find(session, org, person)
    values = {"channels": dict(chosen), "daily_digest": daily_digest,
              "weekly_digest": weekly_digest, "updated_at": now}  # fmt: skip
    # A first save makes the row with its unsubscribe link's token, as service.notify does.
    identity = {"person": person, "unsubscribe_token": secrets.token_urlsafe(32)}
    save_record(
        session, change, kind=KIND, entity=ENTITY, key=person, table=NotificationSettingsRow,
        row=row, identity=identity, values=values,
        state=lambda saved: preferences_state(preferences_of(saved, person)),
    )  # fmt: skip
    return get_preferences(session, org=org, person=person)


@dataclass(frozen=True, slots=True)
class Unsubscribing:
    """What an unsubscribe link names: whose e-mails, in which organisation, of which event
    (None: every event), and the events that are e-mailed now."""

    org_slug: str
    org_name: str
    person: str
    event: Event | None
    emailed: list[Event]

    @property
    def label(self) -> str:
        """The event's words on the settings page ("every e-mail" for all of them)."""
        return "every e-mail" if self.event is None else EVENT_LABELS[self.event]


def _event(event: str | None) -> Event | None:
    if event is None or event == "":
        return None
    if event not in EVENTS:
        raise InvalidInput(
            f"event: no such event '{event}'", [detail("event", f"one of {', '.join(EVENTS)}")]
        )
    return event


def _unsubscribing(session: Session, token: str) -> tuple[NotificationSettingsRow, OrganizationRow]:
    found = unsubscribing(session, token=token) if token else None
    if found is None:
        raise NotFound("this unsubscribe link is unknown: it may be mistyped or cut short")
    return found


def unsubscribe_target(session: Session, *, token: str, event: str | None) -> Unsubscribing:
    """What the unsubscribe link would stop, changing nothing; NotFound for an unknown token,
    InvalidInput for an unknown event."""
    chosen = _event(event)
    row, org = _unsubscribing(session, token)
    prefs = preferences_of(row, row.person)
    emailed = [e for e in EVENTS if channels_of(prefs.choice(e))[0]]
    return Unsubscribing(org.slug, org.name, row.person, chosen, emailed)


def unsubscribe(
    session: Session, *, token: str, event: str | None = None, now: datetime,
    origin: str | None = None,
) -> tuple[str, str, Event | None]:  # fmt: skip
    """Turns e-mail off for the link's person (both -> in-app, e-mail -> nothing) for one
    event, or every event; audited as the unsubscribe link's doing. Returns (organisation
    slug, person, event)."""
    chosen = _event(event)
    row, org = _unsubscribing(session, token)
    before = preferences_state(preferences_of(row, row.person))
    channels = dict(before["channels"])
    for name in EVENTS if chosen is None else (chosen,):
        channels[name] = WITHOUT_EMAIL[channels[name]]
    values = {"channels": channels, "updated_at": now}

    def now_state() -> dict[str, Any]:
        return preferences_state(preferences_of(row, row.person))

    save(session, NotificationSettingsRow, row, kind=KIND, version=row.version, values=values,
         state=now_state, key=row.person)  # fmt: skip
    after = now_state()
    record_event(
        session, org_id=org.id, actor=UNSUBSCRIBE_ACTOR, entity=ENTITY, key=row.person,
        change="update", before=before, after=after, origin=origin,
    )  # fmt: skip
    return org.slug, row.person, chosen
