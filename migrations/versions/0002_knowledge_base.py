"""Knowledge base: pages (guides and procedures), procedure steps, tags and the glossary.

Pages are loaded from content/ by `portal content sync`; body_html is rendered once, on save.
A page whose file is removed is unpublished, never deleted.

Revision ID: 0002_knowledge_base
Revises: 0001_initial
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_knowledge_base'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('glossary_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('term', sa.String(length=120), nullable=False),
    sa.Column('long_form', sa.String(length=300), nullable=True),
    sa.Column('synonyms', sa.JSON(), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('definition_html', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_glossary_term')),
    sa.UniqueConstraint('slug', name=op.f('uq_glossary_term_slug'))
    )
    op.create_table('page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('administration', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('reviewed', sa.Date(), nullable=False),
    sa.Column('related_slugs', sa.JSON(), nullable=False),
    sa.Column('trigger', sa.Text(), nullable=True),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('toc_html', sa.Text(), nullable=False),
    sa.Column('source_path', sa.String(length=300), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("administration IN ('BIF', 'SOF', 'both')", name=op.f('ck_page_administration_known')),
    sa.CheckConstraint("kind IN ('guide', 'procedure')", name=op.f('ck_page_kind_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page')),
    sa.UniqueConstraint('slug', name=op.f('uq_page_slug'))
    )
    op.create_table('page_tag',
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['page.id'], name=op.f('fk_page_tag_page_id_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('page_id', 'name', name=op.f('pk_page_tag'))
    )
    with op.batch_alter_table('page_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_tag_slug'), ['slug'], unique=False)

    op.create_table('step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text_source', sa.Text(), nullable=False),
    sa.Column('text_html', sa.Text(), nullable=False),
    sa.Column('deadline', sa.String(length=200), nullable=True),
    sa.Column('document', sa.String(length=200), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.CheckConstraint("owner IN ('BIF', 'SOF', 'both')", name=op.f('ck_step_owner_known')),
    sa.ForeignKeyConstraint(['page_id'], ['page.id'], name=op.f('fk_step_page_id_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step'))
    )
    with op.batch_alter_table('step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_page_id'), ['page_id'], unique=False)



def downgrade():
    with op.batch_alter_table('step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_page_id'))

    op.drop_table('step')
    with op.batch_alter_table('page_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_tag_slug'))

    op.drop_table('page_tag')
    op.drop_table('page')
    op.drop_table('glossary_term')
