"""A webhook's test call, sent now: the one delivery a door (API, page, CLI) makes itself
instead of leaving it to ``hoshin worker``, so that the admin reads the answer at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hoshin.config import Settings
from hoshin.runtime.delivery import Deliverer
from hoshin.runtime.engine import end_reading, read_first
from hoshin.service import webhook
from hoshin.store.organization import OrganizationRow


def send_test(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    webhook_id: int,
    now: datetime,
    config: Settings,
) -> webhook.Delivery:
    """Sends the test event to the webhook and logs its answer (sent or failed) in the
    outbox, in ``session``'s transaction; returns the logged delivery (code and error)."""
    read_first(session)
    call = webhook.prepare_test(session, org=org, role=role, webhook_id=webhook_id, now=now)
    # On SQLite the call waits outside the writers' turn: a slow receiver (up to 10 s)
    # delays no one else's change.
    end_reading(session)
    deliverer = Deliverer(config)
    try:
        outcome = deliverer.webhook(
            url=call.url, body=call.body, secret=call.secret, format=call.format,
            delivery_id=call.delivery_id, event=call.event,
        )  # fmt: skip
    finally:
        deliverer.close()
    return webhook.record_test(
        session, org=org, call=call, delivered=outcome.delivered, code=outcome.code,
        error=outcome.error, now=now,
    )  # fmt: skip
