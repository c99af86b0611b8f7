"""The PostgreSQL search engine's tables: documents with their lexemes (GIN) and the index's
words (pg_trgm for "Mente du"). Created on every database; the text-search types and indexes
only on PostgreSQL.

Revision ID: 0017_search_postgresql
Revises: 0016_search_index_state
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0017_search_postgresql"
down_revision = "0016_search_index_state"
branch_labels = None
depends_on = None


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    vector = TSVECTOR() if postgresql else sa.Text()
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "search_document",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("administration", sa.String(10), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("past_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("stamp", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("terms", vector, nullable=False),
        sa.Column("suggest", vector, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
    )
    op.create_table(
        "search_word",
        sa.Column("word", sa.String(60), nullable=False),
        sa.Column("docs", sa.Integer(), nullable=False),
        sa.Column("titles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_word")),
    )
    if postgresql:
        for name, column in (("terms", "terms"), ("suggest", "suggest")):
            op.create_index(
                f"ix_search_document_{name}",
                "search_document",
                [column],
                postgresql_using="gin",
                postgresql_with={"fastupdate": "off"},
            )
        op.create_index(
            "ix_search_word_trigram",
            "search_word",
            ["word"],
            postgresql_using="gin",
            postgresql_ops={"word": "gin_trgm_ops"},
            postgresql_with={"fastupdate": "off"},
        )
        op.create_index(
            "ix_search_word_prefix",
            "search_word",
            ["word"],
            postgresql_ops={"word": "text_pattern_ops"},
        )


def downgrade():
    op.drop_table("search_word")
    op.drop_table("search_document")
