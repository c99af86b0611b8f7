"""Old page addresses that redirect (renamed and merged pages), and the seven-step model:
which procedures follow it and which model step each of their steps is.

Revision ID: 0008_page_redirects_and_model
Revises: 0007_administration
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_page_redirects_and_model"
down_revision = "0007_administration"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_redirect",
        sa.Column("old_slug", sa.String(length=100), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["page.id"], name=op.f("fk_page_redirect_page_id_page"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("old_slug", name=op.f("pk_page_redirect")),
    )
    with op.batch_alter_table("page_redirect") as batch:
        batch.create_index(batch.f("ix_page_redirect_page_id"), ["page_id"], unique=False)
    with op.batch_alter_table("page") as batch:
        batch.add_column(sa.Column("follows_model", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("step") as batch:
        batch.add_column(sa.Column("model_step", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("step") as batch:
        batch.drop_column("model_step")
    with op.batch_alter_table("page") as batch:
        batch.drop_column("follows_model")
    with op.batch_alter_table("page_redirect") as batch:
        batch.drop_index(batch.f("ix_page_redirect_page_id"))
    op.drop_table("page_redirect")
