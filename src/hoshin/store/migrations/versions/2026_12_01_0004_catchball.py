"""catchball proposals and their rounds

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 08:00:00.000000

A thread is a proposed objective going back and forth between a proposer and a unit's
lead; each round keeps who answered, when, the fields as they stood and the comment.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catchball_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("lead", sa.String(length=100), nullable=False),
        sa.Column("proposer", sa.String(length=320), nullable=False),
        sa.Column("proposer_name", sa.Text(), nullable=False),
        sa.Column("proposer_user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("turn", sa.String(length=20), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreed_by", sa.Text(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("objective", sa.String(length=100), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_catchball_threads_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposer_user_id"],
            ["users.id"],
            name=op.f("fk_catchball_threads_proposer_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catchball_threads")),
    )
    with op.batch_alter_table("catchball_threads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catchball_threads_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            "ix_catchball_threads_org_id_status", ["org_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_catchball_threads_org_id_objective", ["org_id", "objective"], unique=False
        )

    op.create_table(
        "catchball_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=320), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_user_id"],
            ["users.id"],
            name=op.f("fk_catchball_rounds_author_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_catchball_rounds_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["catchball_threads.id"],
            name=op.f("fk_catchball_rounds_thread_id_catchball_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catchball_rounds")),
    )
    with op.batch_alter_table("catchball_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catchball_rounds_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_catchball_rounds_thread_id"), ["thread_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("catchball_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catchball_rounds_thread_id"))
        batch_op.drop_index(batch_op.f("ix_catchball_rounds_org_id"))
    op.drop_table("catchball_rounds")
    with op.batch_alter_table("catchball_threads", schema=None) as batch_op:
        batch_op.drop_index("ix_catchball_threads_org_id_objective")
        batch_op.drop_index("ix_catchball_threads_org_id_status")
        batch_op.drop_index(batch_op.f("ix_catchball_threads_org_id"))
    op.drop_table("catchball_threads")
