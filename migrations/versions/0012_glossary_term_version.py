"""Glossary terms edited in the browser carry a version, checked by the database itself
(``version_id_col``): of two editors saving the same term at the same version, one wins. A page
that mentions a changed term waits (``page.glossary_stale``) for ``portal jobs run`` to render
it again with the new glossary.

Revision ID: 0012_glossary_term_version
Revises: 0011_page_feedback
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op


revision = "0012_glossary_term_version"
down_revision = "0011_page_feedback"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("glossary_term") as batch:
        batch.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
    with op.batch_alter_table("glossary_term") as batch:
        batch.alter_column("version", server_default=None)
    with op.batch_alter_table("page") as batch:
        batch.add_column(
            sa.Column("glossary_stale", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("page") as batch:
        batch.alter_column("glossary_stale", server_default=None)


def downgrade():
    with op.batch_alter_table("page") as batch:
        batch.drop_column("glossary_stale")
    with op.batch_alter_table("glossary_term") as batch:
        batch.drop_column("version")
