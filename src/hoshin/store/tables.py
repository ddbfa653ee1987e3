"""Every table, imported in one place so that Alembic and the tests see the whole schema."""

from hoshin.store.account import SignInAttemptRow
from hoshin.store.action import ActionRow, CountermeasureRow, MovesRow, RequiresRow, ServesRow
from hoshin.store.audit import AuditEventRow
from hoshin.store.base import Base
from hoshin.store.objective import ActualRow, MetricRow, ObjectiveRow, SupportRow
from hoshin.store.organization import OrganizationRow, PersonRow, UnitRow
from hoshin.store.user import ApiTokenRow, MembershipRow, SessionRow, UserRow

metadata = Base.metadata

__all__ = [
    "ActionRow",
    "ActualRow",
    "ApiTokenRow",
    "AuditEventRow",
    "CountermeasureRow",
    "MembershipRow",
    "MetricRow",
    "MovesRow",
    "ObjectiveRow",
    "OrganizationRow",
    "PersonRow",
    "RequiresRow",
    "ServesRow",
    "SessionRow",
    "SignInAttemptRow",
    "SupportRow",
    "UnitRow",
    "UserRow",
    "metadata",
]
