"""Check-in from the grid: a month's value recorded against the value the row showed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hoshin.domain.figures import number
from hoshin.domain.months import Month
from hoshin.errors import InvalidInput, NotFound, PreconditionFailed
from hoshin.service.asker import Who
from hoshin.service.metric import Actual, get_actual, record_actual
from hoshin.store.organization import OrganizationRow


def record_as_read(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    person: str | None,
    metric: str,
    period: Month,
    value: float,
    read: str | None,
    version: int | None,
    who: Who,
    now: datetime,
) -> Actual:
    """Records ``value`` as the actual of ``metric`` for ``period`` (record_actual). A
    correction is made at ``version`` when the client read one; else at the version of the
    stored actual while it still holds ``read``, the value the row showed (as it showed
    it; None: none). So the grid needs no query per row for versions, and a
    change made meanwhile is never overwritten: PreconditionFailed."""
    if version is None and read is not None:
        version = version_holding(session, org=org, metric=metric, period=period, read=read)
    saved, _ = record_actual(
        session, org=org, role=role, person=person, metric=metric, period=period,
        value=value, if_match=version, who=who, now=now,
    )  # fmt: skip
    return saved


def version_holding(
    session: Session, *, org: OrganizationRow, metric: str, period: Month, read: str
) -> int:
    """The version of the stored actual if it still holds the value ``read``;
    PreconditionFailed when someone changed or removed it meanwhile."""
    try:
        actual = get_actual(session, org=org, metric=metric, period=period)
    except NotFound:
        raise PreconditionFailed(f"the value {read} of {metric} for {period} is gone") from None
    try:
        shown = float(read)
    except ValueError:
        raise InvalidInput(f"read: '{read}' is not a number") from None
    if actual.value != shown:
        raise PreconditionFailed(
            f"{metric} for {period} is {number(actual.value)} now, not {read}: someone changed it"
        )
    return actual.version
