"""audit events: where a change came from, and account events without an organisation

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=200), nullable=True))
        batch_op.alter_column("org_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM audit_events WHERE org_id IS NULL")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("org_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("origin")
