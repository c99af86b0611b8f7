"""An account's identity at the municipality's identity provider (single sign-on): issuer and
subject, never the name; and the SAML requests waiting for their answer.

Revision ID: 0015_user_identity
Revises: 0014_calendar_feed_token
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_user_identity"
down_revision = "0014_calendar_feed_token"
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
    op.create_table(
        "saml_request",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("next_url", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saml_request")),
    )
    op.create_index(op.f("ix_saml_request_created_at"), "saml_request", ["created_at"])


def downgrade():
    op.drop_index(op.f("ix_saml_request_created_at"), table_name="saml_request")
    op.drop_table("saml_request")
    op.drop_index(op.f("ix_user_identity_user_id"), table_name="user_identity")
    op.drop_table("user_identity")
