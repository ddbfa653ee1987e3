"""Webhooks managed by admins, on SQLite and PostgreSQL: added with their address, events
and format checked, the secret shown once and never again (not in the list, not in the
audit trail), removed; a test call's answer logged in the outbox; the reminder settings
and the e-mail status in words."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import make_organization
from hoshin.domain.model import Organization, Plan
from hoshin.errors import Forbidden, InvalidInput, NotFound
from hoshin.service import reminder_settings, webhook
from hoshin.service.asker import Who
from hoshin.store.audit import AuditEventRow
from hoshin.store.organization import OrganizationRow

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
ADMIN = Who("admin@acme.org", None, "192.0.2.9")
HOOK = "https://hooks.example.com/hoshin"


def two_organisations(session: Session) -> tuple[OrganizationRow, OrganizationRow]:
    acme = make_organization(session, slug="acme", name="Acme", plan=Plan(Organization("Acme")))
    other = make_organization(session, slug="other", name="Other", plan=Plan(Organization("O")))
    return acme, other


def add(session: Session, org: OrganizationRow, **given: object) -> webhook.Added:
    fields: dict[str, object] = {"url": HOOK, **given}
    return webhook.add_webhook(session, org=org, role="admin", who=ADMIN, **fields)  # type: ignore[arg-type]


def test_an_admin_adds_a_webhook_whose_secret_is_shown_once(session: Session) -> None:
    acme, _ = two_organisations(session)
    # Events given out of order, one twice: kept once each, in WEBHOOK_EVENTS' order.
    added = add(session, acme, events=["metric.red", " actual.missing", "metric.red"])
    assert added.webhook.events == ("actual.missing", "metric.red")
    assert added.webhook.format == "json" and added.webhook.created_by == "admin@acme.org"
    assert len(added.secret) == 43  # secrets.token_urlsafe(32): 32 bytes in base64 is 43
    given = add(session, acme, secret="s" * 16, format="slack")
    assert given.secret == "s" * 16 and given.webhook.events == ()  # none chosen: every event
    session.commit()
    listed = webhook.list_webhooks(session, org=acme, role="admin")
    assert [hook.id for hook in listed] == [added.webhook.id, given.webhook.id]
    shown = json.dumps([hook.as_json() for hook in listed])
    assert added.secret not in shown and "secret" not in shown
    assert listed[0].last is None
    events = session.scalars(select(AuditEventRow).where(AuditEventRow.entity == "webhook"))
    trail = [(e.key, e.change, e.after) for e in events]
    assert trail[0] == (
        str(added.webhook.id), "create",
        {"url": HOOK, "events": ["actual.missing", "metric.red"], "format": "json"},
    )  # fmt: skip
    assert added.secret not in json.dumps([after for _, _, after in trail])


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ({"url": "ftp://hooks.example.com/x"}, "url", "must start with https://"),
        ({"url": "https://user:pw@hooks.example.com/x"}, "url", "no user or password"),
        ({"url": "https://hooks.example.com/a\nb"}, "url", "U+000A"),
        ({"url": "https:///path"}, "url", "names no host"),
        ({"url": "https://h.example/" + "a" * 2000}, "url", "2,018 characters long"),
        ({"url": "  "}, "url", "is empty"),
        ({"events": ["metric.red", "metric.blue"]}, "events", "'metric.blue' is no event"),
        ({"format": "discord"}, "format", "'discord' is no format: use json, slack, teams"),
        ({"secret": "short"}, "secret", "has 5 characters: 16 to 200"),
        ({"secret": "sixteen chars with spaces"}, "secret", "holds a space"),
    ],
)
def test_a_webhook_is_refused_naming_the_field(
    session: Session, given: dict[str, object], field: str, words: str
) -> None:
    acme, _ = two_organisations(session)
    with pytest.raises(InvalidInput) as refused:
        add(session, acme, **given)
    assert words in refused.value.message
    assert refused.value.detail == [
        {"field": field, "reason": refused.value.message.split(": ", 1)[1]}
    ]
    assert webhook.list_webhooks(session, org=acme, role="admin") == []


def test_only_admins_manage_webhooks_and_only_their_organisations(session: Session) -> None:
    acme, other = two_organisations(session)
    hook = add(session, acme).webhook
    for role in ("editor", "contributor", "viewer"):
        with pytest.raises(Forbidden, match=f"a {role} of acme cannot manage webhooks"):
            webhook.list_webhooks(session, org=acme, role=role)
        with pytest.raises(Forbidden):
            webhook.add_webhook(session, org=acme, role=role, who=ADMIN, url=HOOK)
        with pytest.raises(Forbidden):
            webhook.remove_webhook(session, org=acme, role=role, who=ADMIN, webhook_id=hook.id)
    # An admin of another organisation does not find acme's webhook: one answer, NotFound.
    with pytest.raises(NotFound, match=f"no webhook {hook.id} in other"):
        webhook.remove_webhook(session, org=other, role="admin", who=ADMIN, webhook_id=hook.id)
    with pytest.raises(NotFound):
        webhook.prepare_test(session, org=other, role="admin", webhook_id=hook.id, now=NOW)
    with pytest.raises(NotFound):
        webhook.deliveries(session, org=other, role="admin", webhook_id=hook.id)
    assert webhook.list_webhooks(session, org=other, role="admin") == []


def test_a_test_call_is_logged_and_removal_is_audited(session: Session) -> None:
    acme, _ = two_organisations(session)
    hook = add(session, acme, format="teams").webhook
    call = webhook.prepare_test(session, org=acme, role="admin", webhook_id=hook.id, now=NOW)
    assert (call.url, call.format, call.event) == (HOOK, "teams", "webhook.test")
    assert call.body["id"] == call.delivery_id and call.body["organization"] == "acme"
    assert set(call.body) == {"id", "event", "occurred_at", "organization", "subject", "data"}
    failed = webhook.record_test(
        session, org=acme, call=call, delivered=False, code=500, error="answered 500 " + "x" * 300,
        now=NOW,
    )  # fmt: skip
    assert (failed.status, failed.code, failed.attempts, failed.event) == (
        "failed", 500, 1, "webhook.test"
    )  # fmt: skip
    assert failed.error is not None and len(failed.error) == 200  # cut to ERROR_SHOWN
    assert failed.next_attempt_at is None  # a test is never tried again
    again = webhook.prepare_test(session, org=acme, role="admin", webhook_id=hook.id, now=NOW)
    assert again.delivery_id != call.delivery_id  # each test is a call of its own
    sent = webhook.record_test(
        session, org=acme, call=again, delivered=True, code=204, error=None, now=NOW
    )
    session.commit()
    assert (sent.status, sent.code, sent.sent_at) == ("sent", 204, NOW)
    (listed,) = webhook.list_webhooks(session, org=acme, role="admin")
    assert listed.last is not None and listed.last.id == sent.id  # the latest call
    log = webhook.deliveries(session, org=acme, role="admin")
    assert [(d.status, d.code) for d in log] == [("sent", 204), ("failed", 500)]  # newest first
    webhook.remove_webhook(session, org=acme, role="admin", who=ADMIN, webhook_id=hook.id)
    session.commit()
    assert webhook.list_webhooks(session, org=acme, role="admin") == []
    assert webhook.deliveries(session, org=acme, role="admin") == []  # its calls went with it
    removed = session.scalars(
        select(AuditEventRow).where(
            AuditEventRow.entity == "webhook", AuditEventRow.change == "delete"
        )
    ).one()
    assert removed.before == {"url": HOOK, "events": [], "format": "teams"}
    assert removed.after is None and removed.actor == "admin@acme.org"


def test_reminder_settings_are_bounded_and_audited(session: Session) -> None:
    acme, _ = two_organisations(session)
    assert reminder_settings.reminder_settings(acme).as_json() == {
        "reminder_lead_days": 0,
        "escalation_days": 5,
    }  # fmt: skip  (the schema's defaults)
    changed = reminder_settings.set_reminder_settings(
        session, org=acme, role="admin", who=ADMIN, reminder_lead_days=3, escalation_days=10
    )
    assert (changed.reminder_lead_days, changed.escalation_days) == (3, 10)
    refusals = (
        (28, 5, "reminder_lead_days: 28 is not a number of days from 0 to 27"),
        (0, 0, "escalation_days: 0 is not a number of days from 1 to 60"),
        (0, 61, "escalation_days: 61"),
    )
    for lead, days, words in refusals:
        with pytest.raises(InvalidInput, match=words):
            reminder_settings.set_reminder_settings(
                session, org=acme, role="admin", who=ADMIN, reminder_lead_days=lead,
                escalation_days=days,
            )  # fmt: skip
    with pytest.raises(Forbidden, match="a editor of acme cannot change the reminders"):
        reminder_settings.set_reminder_settings(
            session, org=acme, role="editor", who=ADMIN, reminder_lead_days=1, escalation_days=5
        )
    session.commit()
    (event,) = session.scalars(
        select(AuditEventRow).where(
            AuditEventRow.entity == "organization",
            AuditEventRow.key == "acme",
            AuditEventRow.change == "update",
        )
    )
    assert event.before == {"reminder_lead_days": 0, "escalation_days": 5}
    assert event.after == {"reminder_lead_days": 3, "escalation_days": 10}


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("", "E-mail is off: set HOSHIN_SMTP_URL to send e-mails."),
        ("smtp://ann:hunter2@mail.example.com", "E-mail is on: sent from hoshin@acme.org via "
         "mail.example.com:587 (STARTTLS when offered)."),
        ("smtps://ann:hunter2@mail.example.com:2465", "E-mail is on: sent from hoshin@acme.org "
         "via mail.example.com:2465 (TLS)."),
        ("http://mail.example.com", "E-mail is off: HOSHIN_SMTP_URL is not an smtp:// or "
         "smtps:// address."),
    ],
)  # fmt: skip
def test_the_email_status_never_says_the_password(url: str, words: str) -> None:
    status = reminder_settings.email_status(url, "hoshin@acme.org")
    assert status == words and "hunter2" not in status and "ann" not in status
