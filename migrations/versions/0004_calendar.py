"""Calendar: events (single meetings and recurring series), changes to single occurrences of a
series (moved or cancelled), and registrations with a waitlist.

Times are stored in UTC; a series' RRULE is evaluated in Europe/Copenhagen wall-clock time.
An occurrence is named by its original local date (YYYY-MM-DD) in event_occurrence_change.day
and event_registration.occurrence ("" for a single event). A seat is unique per event,
occurrence and user; deleting an event deletes its changes and registrations.

Revision ID: 0004_calendar
Revises: 0003_search
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_calendar'
down_revision = '0003_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rrule', sa.String(length=300), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('description_source', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('registration_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('moved_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('both', 'BIF', 'SOF')", name=op.f('ck_event_audience_known')),
    sa.CheckConstraint("kind IN ('network', 'team_leaders', 'talk', 'coordination', 'course')", name=op.f('ck_event_kind_known')),
    sa.CheckConstraint("status IN ('planned', 'moved', 'cancelled')", name=op.f('ck_event_status_known')),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_event_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_event_ends_after_start')),
    sa.ForeignKeyConstraint(['organiser_id'], ['user.id'], name=op.f('fk_event_organiser_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('uid', name=op.f('uq_event_uid'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_starts_at'), ['starts_at'], unique=False)

    op.create_table('event_occurrence_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('moved', 'cancelled')", name=op.f('ck_event_occurrence_change_status_known')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_occurrence_change_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_occurrence_change')),
    sa.UniqueConstraint('event_id', 'day', name='uq_event_occurrence_change_event_day')
    )
    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('occurrence', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('administration', sa.String(length=10), nullable=True),
    sa.Column('unit', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('registered', 'waitlisted')", name=op.f('ck_event_registration_status_known')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_registration_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_event_registration_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
    sa.UniqueConstraint('event_id', 'occurrence', 'user_id', name='uq_event_registration_seat')
    )
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_index('ix_event_registration_occurrence', ['event_id', 'occurrence', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registration_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_user_id'))
        batch_op.drop_index('ix_event_registration_occurrence')

    op.drop_table('event_registration')
    op.drop_table('event_occurrence_change')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_starts_at'))
        batch_op.drop_index(batch_op.f('ix_event_organiser_id'))

    op.drop_table('event')
