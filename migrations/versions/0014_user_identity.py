"""An account's identity at the municipality's identity provider (single sign-on): issuer and
subject, never the name.

Revision ID: 0014_user_identity
Revises: 0013_mail_outbox
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_user_identity"
down_revision = "0013_mail_outbox"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("protocol", sa.String(10), nullable=False),
        sa.Column("issuer", sa.String(300), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_user_identity_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_identity")),
        sa.UniqueConstraint("protocol", "issuer", "subject", name="uq_user_identity_subject"),
    )
    op.create_index(op.f("ix_user_identity_user_id"), "user_identity", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_user_identity_user_id"), table_name="user_identity")
    op.drop_table("user_identity")
