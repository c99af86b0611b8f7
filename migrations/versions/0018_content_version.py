"""A content version that every change to what a cached page shows adds 1 to, in the same
transaction (portal/page_cache.py): each process's cached pages for anonymous readers are keyed
by it.

Revision ID: 0018_content_version
Revises: 0017_search_postgresql
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_content_version"
down_revision = "0017_search_postgresql"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_version",
        sa.Column("area", sa.String(40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("area", name=op.f("pk_content_version")),
    )


def downgrade():
    op.drop_table("content_version")
