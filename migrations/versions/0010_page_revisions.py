"""Page revisions (every save of a guide or procedure, with who, when and why), the version
check on pages, and when a page was last edited in the browser.

Revision ID: 0010_page_revisions
Revises: 0009_contact_units
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op


revision = "0010_page_revisions"
down_revision = "0009_contact_units"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"],
                                name=op.f("fk_page_revision_author_id_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["page_id"], ["page.id"],
                                name=op.f("fk_page_revision_page_id_page"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_revision")),
        sa.UniqueConstraint("page_id", "number", name="uq_page_revision_page_id_number"),
    )
    with op.batch_alter_table("page") as batch:
        batch.add_column(sa.Column("edited_in_browser_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("review_days", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("page") as batch:
        batch.drop_column("review_days")
        batch.drop_column("edited_in_browser_at")
    op.drop_table("page_revision")
