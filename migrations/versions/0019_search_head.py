"""The PostgreSQL engine's ``head`` lexemes (every field's but the body's), which a search
ranks first where a word is on many pages (portal/search/postgres/query.py).

Revision ID: 0019_search_head
Revises: 0018_content_version
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0019_search_head"
down_revision = "0018_content_version"
branch_labels = None
depends_on = None


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column("search_document", sa.Column("head", TSVECTOR() if postgresql else sa.Text()))
    if postgresql:
        op.execute("UPDATE search_document SET head = ts_filter(terms, '{a,b,c}')")


def downgrade():
    op.drop_column("search_document", "head")
