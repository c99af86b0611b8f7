"""Several search indexes consume one outbox: each index marks the rows it has applied, and a
row is deleted only when every index seen lately has applied it.

Revision ID: 0016_search_index_state
Revises: 0015_user_identity
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_search_index_state"
down_revision = "0015_user_identity"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_index_state",
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_search_index_state")),
    )
    op.create_table(
        "search_outbox_applied",
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("index_name", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["search_outbox.id"],
            name=op.f("fk_search_outbox_applied_outbox_id_search_outbox"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["index_name"],
            ["search_index_state.name"],
            name=op.f("fk_search_outbox_applied_index_name_search_index_state"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("outbox_id", "index_name", name=op.f("pk_search_outbox_applied")),
    )


def downgrade():
    op.drop_table("search_outbox_applied")
    op.drop_table("search_index_state")
