"""One name for the domain word: ``audience`` becomes ``administration`` on news and events.

Revision ID: 0007_administration
Revises: 0006_news
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_administration"
down_revision = "0006_news"
branch_labels = None
depends_on = None

TABLES = {
    "news_item": "administration IN ('BIF', 'SOF', 'both')",
    "event": "administration IN ('BIF', 'SOF', 'both')",
}


def upgrade():
    for table, check in TABLES.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_audience_known"), type_="check")
            batch.alter_column("audience", new_column_name="administration",
                               existing_type=sa.String(length=10), existing_nullable=False)
            batch.create_check_constraint("administration_known", check)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_administration_known"), type_="check")
            batch.alter_column("administration", new_column_name="audience",
                               existing_type=sa.String(length=10), existing_nullable=False)
            batch.create_check_constraint("audience_known", "audience IN ('BIF', 'SOF', 'both')")
