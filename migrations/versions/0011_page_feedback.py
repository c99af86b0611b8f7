"""Reader feedback on guides and procedures ("Er siden korrekt og nyttig?"), and the editors'
handling of it: at most one unhandled answer per page and person (a partial unique index).

Revision ID: 0011_page_feedback
Revises: 0010_page_revisions
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op


revision = "0011_page_feedback"
down_revision = "0010_page_revisions"
branch_labels = None
depends_on = None

OPEN = sa.text("handled_at IS NULL")


def upgrade():
    op.create_table(
        "page_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["page.id"], name=op.f("fk_page_feedback_page_id_page"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_page_feedback_user_id_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["handled_by_id"], ["user.id"],
                                name=op.f("fk_page_feedback_handled_by_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_feedback")),
    )
    with op.batch_alter_table("page_feedback") as batch:
        batch.create_index(batch.f("ix_page_feedback_page_id"), ["page_id"], unique=False)
        batch.create_index(batch.f("ix_page_feedback_user_id"), ["user_id"], unique=False)
        batch.create_index("uq_page_feedback_open", ["page_id", "user_id"], unique=True,
                           sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade():
    with op.batch_alter_table("page_feedback") as batch:
        batch.drop_index("uq_page_feedback_open")
        batch.drop_index(batch.f("ix_page_feedback_user_id"))
        batch.drop_index(batch.f("ix_page_feedback_page_id"))
    op.drop_table("page_feedback")
