"""News: items (drafts, scheduled and published), who has passed each on, and the front
page's shortcuts and daily visit counts for guides and procedures.

An item is public when it is published and its time has come; ``announced`` follows that
moment so the search index learns of scheduled items. Visit counts are daily aggregates with
no personal data. This revision also joins the two 0004 heads (calendar, contacts).

Revision ID: 0006_news
Revises: 0004_calendar, 0004_contacts
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_news'
down_revision = ('0004_calendar', '0004_contacts')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_visit',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'kind', 'slug', name=op.f('pk_page_visit'))
    )
    op.create_table('front_shortcut',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['page.id'], name=op.f('fk_front_shortcut_page_id_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_front_shortcut')),
    sa.UniqueConstraint('page_id', name=op.f('uq_front_shortcut_page_id'))
    )
    op.create_table('news_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=400), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('announced', sa.Boolean(), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pinned_until', sa.Date(), nullable=True),
    sa.Column('pass_on', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("audience IN ('BIF', 'SOF', 'both')", name=op.f('ck_news_item_audience_known')),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_news_item_status_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_news_item_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_item')),
    sa.UniqueConstraint('slug', name=op.f('uq_news_item_slug'))
    )
    with op.batch_alter_table('news_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_item_announced'), ['announced'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_item_published_at'), ['published_at'], unique=False)

    op.create_table('news_passed_on',
    sa.Column('news_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['news_id'], ['news_item.id'], name=op.f('fk_news_passed_on_news_id_news_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_news_passed_on_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('news_id', 'user_id', name=op.f('pk_news_passed_on'))
    )


def downgrade():
    op.drop_table('news_passed_on')
    with op.batch_alter_table('news_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_item_published_at'))
        batch_op.drop_index(batch_op.f('ix_news_item_announced'))

    op.drop_table('news_item')
    op.drop_table('front_shortcut')
    op.drop_table('page_visit')
