"""the strength of supports, serves and moves links (the X-matrix's corners), and a
countermeasure's effect (what it changed, written when it closes)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 00:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LINKS = ("supports", "action_serves", "action_moves")


def upgrade() -> None:
    for table in LINKS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("strength", sa.String(length=10), server_default="strong", nullable=False)
            )
    with op.batch_alter_table("countermeasures") as batch:
        batch.add_column(sa.Column("effect", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("countermeasures") as batch:
        batch.drop_column("effect")
    for table in reversed(LINKS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("strength")
