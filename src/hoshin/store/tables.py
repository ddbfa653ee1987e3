"""Every table, imported in one place so that Alembic and the tests see the whole schema."""

from hoshin.store.account import SignInAttemptRow
from hoshin.store.action import ActionRow, CountermeasureRow, MovesRow, RequiresRow, ServesRow
from hoshin.store.audit import AuditEventRow
from hoshin.store.base import Base
from hoshin.store.catchball import CatchballRoundRow, CatchballRow
from hoshin.store.metric import ActualRow, MetricRow
from hoshin.store.notification import (
    NotificationRow,
    NotificationSettingsRow,
    OutboxRow,
    WebhookRow,
)
from hoshin.store.objective import ObjectiveRow, SupportRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.review import CommentRow, MonthlyReviewRow, ReflectionRow
from hoshin.store.scim import ScimGroupMemberRow, ScimGroupRow, ScimTokenRow
from hoshin.store.situation import AddressesRow, SituationItemRow
from hoshin.store.sso import SsoRequestRow, SsoSettingsRow
from hoshin.store.unit import PersonRow, UnitRow
from hoshin.store.user import ApiTokenRow, MembershipRow, SessionRow, UserRow

metadata = Base.metadata

__all__ = [
    "ActionRow",
    "ActualRow",
    "AddressesRow",
    "ApiTokenRow",
    "AuditEventRow",
    "CatchballRoundRow",
    "CatchballRow",
    "CommentRow",
    "CountermeasureRow",
    "MembershipRow",
    "MetricRow",
    "MonthlyReviewRow",
    "MovesRow",
    "NotificationRow",
    "NotificationSettingsRow",
    "ObjectiveRow",
    "OrganizationRow",
    "OutboxRow",
    "PersonRow",
    "ReflectionRow",
    "RequiresRow",
    "ScimGroupMemberRow",
    "ScimGroupRow",
    "ScimTokenRow",
    "ServesRow",
    "SessionRow",
    "SignInAttemptRow",
    "SituationItemRow",
    "SsoRequestRow",
    "SsoSettingsRow",
    "SupportRow",
    "UnitRow",
    "UserRow",
    "WebhookRow",
    "metadata",
]
