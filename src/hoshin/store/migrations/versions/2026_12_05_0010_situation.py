"""the current position: situation items (strengths, weaknesses, opportunities, threats)
and the objectives that address them (an action's risks keep their level and trigger in
the JSON they are already stored in)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:55:17.413509
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "situation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_situation_items_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_situation_items")),
        sa.UniqueConstraint("org_id", "key", name=op.f("uq_situation_items_org_id_key")),
    )
    with op.batch_alter_table("situation_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_situation_items_org_id"), ["org_id"], unique=False)

    op.create_table(
        "objective_addresses",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("objective", sa.String(), nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "item"],
            ["situation_items.org_id", "situation_items.key"],
            name=op.f("fk_objective_addresses_org_id_item_situation_items"),
            onupdate="CASCADE",
            ondelete="NO ACTION",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "objective"],
            ["objectives.org_id", "objectives.key"],
            name=op.f("fk_objective_addresses_org_id_objective_objectives"),
            onupdate="CASCADE",
            ondelete="CASCADE",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("org_id", "objective", "item", name=op.f("pk_objective_addresses")),
    )


def downgrade() -> None:
    op.drop_table("objective_addresses")
    with op.batch_alter_table("situation_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_situation_items_org_id"))

    op.drop_table("situation_items")
