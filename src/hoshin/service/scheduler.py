"""The reminder scheduler: what an organisation's plan owes its people as of a day
(domain.reminders), told as each chose (service.notify.tell), and the organisation's
webhook events for it; and the daily digest e-mails of those who chose one.

The runtime (runtime.notifier) calls these in pieces and commits each piece: the
notices in chunks (``chunks``), so that SQLite's other writers (the server's check-ins) never
wait long behind a pass. Every notice, event and e-mail has an idempotency key, so a pass
cut short and run again, or run twice, tells nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.analysis import analyze
from hoshin.domain.notices import Notice
from hoshin.domain.reminders import reminders
from hoshin.service.analysis import AnalysisCache
from hoshin.service.notify import mail_payload, publish, queued, tell, unsubscribe_tokens
from hoshin.store.notification import addresses_of, insert_outbox
from hoshin.store.organization import OrganizationRow, plan_version_of
from hoshin.store.outbox import digest_notifications
from hoshin.store.plan_load import load_plan

CHUNK = 2000  # notices per transaction: a chunk of the 50,000-person plan writes in ~0.1 s
# The webhook event of each kind of reminder (domain.notices.WEBHOOK_EVENTS); actual_due
# and the digest are told to people only.
WEBHOOK_EVENT_OF = {"escalation": "actual.missing", "metric_red": "metric.red"}
DEADLINE_EVENTS = {"soon": "deadline.due", "overdue": "deadline.overdue"}


@dataclass(frozen=True, slots=True)
class Owed:
    """What an organisation's plan owes as of a day: its notices, for the plan version read."""

    plan_version: int
    notices: list[Notice]


def owed(
    session: Session, *, org: OrganizationRow, as_of: date, cache: AnalysisCache | None = None
) -> Owed:
    """Every notice the organisation's plan owes as of ``as_of`` (domain.reminders), with its
    lead and escalation days; read only. ``cache`` keeps the plan between passes."""
    if cache is not None:
        analysed = cache.get(session, org=org, as_of=as_of)
        version, plan, analysis = analysed.plan_version, analysed.plan, analysed.analysis
    else:
        version = plan_version_of(session, org_id=org.id)
        plan = load_plan(session, org=org)
        analysis = analyze(plan, as_of)
    notices = reminders(
        plan, analysis, as_of=as_of, slug=org.slug,
        lead_days=org.reminder_lead_days, escalation_days=org.escalation_days,
    )  # fmt: skip
    return Owed(version, notices)


def chunks(notices: Sequence[Notice], size: int = CHUNK) -> list[list[Notice]]:
    """The notices in chunks of about ``size``, each person's in one chunk (the quiet rule
    compares a person's reminders of one pass with each other), by person."""
    ordered = sorted(notices, key=lambda notice: (notice.person, notice.key))
    found: list[list[Notice]] = []
    current: list[Notice] = []
    for notice in ordered:
        if len(current) >= size and current[-1].person != notice.person:
            found.append(current)
            current = []
        current.append(notice)
    if current:
        found.append(current)
    return found


@dataclass(frozen=True, slots=True)
class Told:
    """What one chunk told: notices written now and webhook calls queued now."""

    notices: int
    webhook_calls: int


def tell_chunk(
    session: Session, *, org: OrganizationRow, notices: Sequence[Notice], now: datetime
) -> Told:
    """Tells the notices of a chunk (service.notify.tell: those told before are not told
    again) and queues the organisation's webhook events for them (each once: its key), in
    ``session``'s transaction."""
    told = tell(session, org=org, notices=notices, now=now)
    calls = publish(session, org=org, events=webhook_events(notices), now=now)
    return Told(len(told), calls)


def webhook_events(notices: Iterable[Notice]) -> list[tuple[str, str, dict[str, Any], str]]:
    """The webhook events of these notices: one per item, period and level, not per person
    told (event, subject, data, idempotency key)."""
    found: dict[str, tuple[str, str, dict[str, Any], str]] = {}
    for notice in notices:
        if notice.event == "deadline":
            event = DEADLINE_EVENTS.get(notice.variant)
        else:
            event = WEBHOOK_EVENT_OF.get(notice.event)
        if event is None:
            continue
        key = f"{event}:{notice.variant}|{notice.item_kind}:{notice.item}|{notice.period}"
        if key in found:
            continue
        data = {
            **{k: v for k, v in notice.data.items() if k != "leads"},
            "item_kind": notice.item_kind, "item": notice.item, "period": notice.period,
            "link": notice.link,
        }  # fmt: skip
        found[key] = (event, notice.title, data, key)
    return list(found.values())


def midnight(day: date) -> datetime:
    """The start of ``day`` in UTC."""
    return datetime.combine(day, time(), tzinfo=UTC)


def daily_digests(session: Session, *, org: OrganizationRow, day: date, now: datetime) -> int:
    """Queues one e-mail to each person with notifications kept for their daily digest that
    were told on ``day`` (UTC): all of them in one message, once per person and day
    (key ``email|daily|{person}|{day}``); returns how many were queued now."""
    rows = digest_notifications(
        session, org_id=org.id, since=midnight(day), until=midnight(day + timedelta(days=1))
    )
    if not rows:
        return 0
    by_person: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        item = {"title": row.title, "body": row.body, "link": row.link}
        by_person.setdefault(row.person, []).append(item)
    addresses = addresses_of(session, org_id=org.id, people=set(by_person))
    tokens = unsubscribe_tokens(session, org=org, people=set(addresses), now=now)
    mails = []
    for person, items in by_person.items():
        if person not in addresses:
            continue
        name, address = addresses[person]
        count = f"{len(items)} notice" + ("" if len(items) == 1 else "s")
        subject = f"Your day in {org.name}: {count} of {day.isoformat()}"
        payload = mail_payload(org, subject=subject, name=name, items=items, event="",
                               token=tokens[person])  # fmt: skip
        payload["digest"] = True
        mails.append(queued(org, key=f"email|daily|{person}|{day.isoformat()}", channel="email",
                           recipient=address, payload=payload, now=now))  # fmt: skip
    return len(insert_outbox(session, rows=mails))
