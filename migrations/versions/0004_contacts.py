"""Contacts: contact persons' profiles and the areas they can help with.

A profile belongs to a user with the role "contact"; deleting the user deletes the profile.
Photos are stored re-encoded (JPEG, no metadata) in the row, never as uploaded.

Revision ID: 0004_contacts
Revises: 0003_search
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_contacts'
down_revision = '0003_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('job_title', sa.String(length=120), nullable=False),
    sa.Column('administration', sa.String(length=10), nullable=False),
    sa.Column('centre', sa.String(length=160), nullable=False),
    sa.Column('team', sa.String(length=120), nullable=False),
    sa.Column('workplace', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('about', sa.Text(), nullable=False),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('photo_version', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.CheckConstraint("administration IN ('BIF', 'SOF')", name=op.f('ck_contact_profile_administration_known')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_contact_profile_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_profile')),
    sa.UniqueConstraint('user_id', name=op.f('uq_contact_profile_user_id'))
    )
    op.create_table('contact_area',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['contact_profile.id'], name=op.f('fk_contact_area_profile_id_contact_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'name', name=op.f('pk_contact_area'))
    )
    with op.batch_alter_table('contact_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_area_slug'), ['slug'], unique=False)



def downgrade():
    with op.batch_alter_table('contact_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_area_slug'))

    op.drop_table('contact_area')
    op.drop_table('contact_profile')
