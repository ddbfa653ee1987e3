"""sign-in attempts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_client"), ["client"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_email"), ["email"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_email"))
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_client"))
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_at"))

    op.drop_table("sign_in_attempts")
