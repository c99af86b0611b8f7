"""Personal calendar feeds: each person's secret feed address, stored as a nonce and the
token's hash.

Revision ID: 0014_calendar_feed_token
Revises: 0013_mail_outbox
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_calendar_feed_token"
down_revision = "0013_mail_outbox"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feed_token",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_calendar_feed_token_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_calendar_feed_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_token_token_hash")),
    )


def downgrade():
    op.drop_table("calendar_feed_token")
