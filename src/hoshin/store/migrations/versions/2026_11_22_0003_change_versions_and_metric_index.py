"""the plan version of each change; metrics found by objective

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 12:00:00.000000

Each audit event records the plan version its change made, so a server process can ask
which changes it has not seen (and bring its analysis up to date for new actuals instead
of loading the whole plan again). The index on metrics (org_id, objective) serves the
objective read, which scanned every metric of the organisation.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_version", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_audit_events_org_id_plan_version", ["org_id", "plan_version"], unique=False
        )
    with op.batch_alter_table("metrics", schema=None) as batch_op:
        batch_op.create_index("ix_metrics_org_id_objective", ["org_id", "objective"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("metrics", schema=None) as batch_op:
        batch_op.drop_index("ix_metrics_org_id_objective")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_org_id_plan_version")
        batch_op.drop_column("plan_version")
