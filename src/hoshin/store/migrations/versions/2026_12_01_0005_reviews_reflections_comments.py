"""monthly reviews, annual reflections and comments on objectives

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 08:10:00.000000

Units and objectives are named by plan id without a foreign key: a meeting's record
outlives the plan rows it looked at (an import replaces them all).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _org() -> sa.Column[int]:
    return sa.Column("org_id", sa.Integer(), nullable=False)


def _org_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["org_id"], ["organizations.id"], name=op.f(f"fk_{table}_org_id_organizations"),
        ondelete="CASCADE",
    )  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "monthly_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        _org(),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _org_key("monthly_reviews"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_reviews")),
        sa.UniqueConstraint(
            "org_id", "unit", "period", name=op.f("uq_monthly_reviews_org_id_unit_period")
        ),
    )
    op.create_index(op.f("ix_monthly_reviews_org_id"), "monthly_reviews", ["org_id"])
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        _org(),
        sa.Column("objective", sa.String(length=100), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("worked", sa.Text(), nullable=False),
        sa.Column("did_not", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _org_key("reflections"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
        sa.UniqueConstraint(
            "org_id",
            "objective",
            "fiscal_year",
            name=op.f("uq_reflections_org_id_objective_fiscal_year"),
        ),
    )
    op.create_index(op.f("ix_reflections_org_id"), "reflections", ["org_id"])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        _org(),
        sa.Column("objective", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _org_key("comments"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_comments_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(op.f("ix_comments_org_id"), "comments", ["org_id"])
    op.create_index("ix_comments_org_id_objective", "comments", ["org_id", "objective"])


def downgrade() -> None:
    op.drop_index("ix_comments_org_id_objective", table_name="comments")
    op.drop_index(op.f("ix_comments_org_id"), table_name="comments")
    op.drop_table("comments")
    op.drop_index(op.f("ix_reflections_org_id"), table_name="reflections")
    op.drop_table("reflections")
    op.drop_index(op.f("ix_monthly_reviews_org_id"), table_name="monthly_reviews")
    op.drop_table("monthly_reviews")
