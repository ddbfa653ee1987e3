"""An organisation's reminder settings (admins): how many days before its month ends an
actual is due, and after how many days a missing one escalates; and whether e-mail is on,
in words for the admin page (never the SMTP password)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from hoshin.errors import InvalidInput
from hoshin.service import policy
from hoshin.service.asker import Who
from hoshin.service.policy import Act
from hoshin.store.audit import record_event
from hoshin.store.organization import OrganizationRow

# domain.reminders.LONGEST_LEAD: more lead days would make February due before it began.
LEAD_DAYS = (0, 27)
ESCALATION_DAYS = (1, 60)
SMTP_PORTS = {"smtp": 587, "smtps": 465}  # STARTTLS's submission port, implicit TLS's


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """When actuals are due and when missing ones escalate."""

    reminder_lead_days: int
    escalation_days: int

    def as_json(self) -> dict[str, Any]:
        """The settings as JSON values."""
        return {"reminder_lead_days": self.reminder_lead_days,
                "escalation_days": self.escalation_days}  # fmt: skip


def reminder_settings(org: OrganizationRow) -> ReminderSettings:
    """The organisation's reminder settings."""
    return ReminderSettings(org.reminder_lead_days, org.escalation_days)


def check_days(value: int, field: str, bounds: tuple[int, int]) -> int:
    """``value`` when within ``bounds``; InvalidInput naming ``field`` otherwise."""
    low, high = bounds
    if not low <= value <= high:
        reason = f"{value} is not a number of days from {low} to {high}"
        raise InvalidInput(f"{field}: {reason}", [{"field": field, "reason": reason}])
    return value


def set_reminder_settings(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    who: Who,
    reminder_lead_days: int,
    escalation_days: int,
) -> ReminderSettings:
    """Changes the reminder settings (admins): lead days 0-27, escalation days 1-60;
    audited as a change of the organisation (none when nothing changes)."""
    policy.require(role, Act.MANAGE_MEMBERS, "change the reminders", where=org.slug)
    after = ReminderSettings(
        check_days(reminder_lead_days, "reminder_lead_days", LEAD_DAYS),
        check_days(escalation_days, "escalation_days", ESCALATION_DAYS),
    )
    before = reminder_settings(org)
    if after == before:
        return before
    org.reminder_lead_days, org.escalation_days = after.reminder_lead_days, after.escalation_days
    org.version += 1
    session.flush()
    record_event(
        session, org_id=org.id, actor=who.actor, entity="organization", key=org.slug,
        change="update", before=before.as_json(), after=after.as_json(), user_id=who.user_id,
        origin=who.origin,
    )  # fmt: skip
    return after


def email_status(smtp_url: str, mail_from: str) -> str:
    """Whether e-mail is on, in words: the sender and the server's host and port, never the
    user or password of HOSHIN_SMTP_URL."""
    if not smtp_url.strip():
        return "E-mail is off: set HOSHIN_SMTP_URL to send e-mails."
    try:
        parts = urlsplit(smtp_url.strip())
        host, port = parts.hostname, parts.port or SMTP_PORTS.get(parts.scheme)
    except ValueError:
        host, port = None, None
    if not host or parts.scheme not in SMTP_PORTS:
        return "E-mail is off: HOSHIN_SMTP_URL is not an smtp:// or smtps:// address."
    how = "TLS" if parts.scheme == "smtps" else "STARTTLS when offered"
    return f"E-mail is on: sent from {mail_from} via {host}:{port} ({how})."
