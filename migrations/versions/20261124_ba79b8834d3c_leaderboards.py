"""Leaderboards: privacy and disqualification (with an audit log), archived week and month standings,
daily rank snapshots, top-100 stints, follow rivalries and loss-aversion notices, check state; users
indexed by points.

Revision ID: ba79b8834d3c
Revises: 97022046a067
Created: 2026-11-24 13:00:35.266160
"""
from alembic import op
import sqlalchemy as sa


revision = 'ba79b8834d3c'
down_revision = '97022046a067'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('leaderboard_checks',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('checked_until', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_leaderboard_checks'))
    )
    op.create_table('leaderboard_archive',
    sa.Column('board', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reached_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_leaderboard_archive_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('board', 'period', 'rank', name=op.f('pk_leaderboard_archive'))
    )
    with op.batch_alter_table('leaderboard_archive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leaderboard_archive_user_id'), ['user_id'], unique=False)

    op.create_table('leaderboard_disqualifications',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('moderator_id', sa.BigInteger(), nullable=True),
    sa.Column('disqualified_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_leaderboard_disqualifications_moderator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_leaderboard_disqualifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_leaderboard_disqualifications'))
    )
    op.create_table('leaderboard_privacy',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_leaderboard_privacy_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_leaderboard_privacy'))
    )
    op.create_table('leaderboard_rank_snapshots',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('tier_rank', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_leaderboard_rank_snapshots_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_leaderboard_rank_snapshots'))
    )
    with op.batch_alter_table('leaderboard_rank_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leaderboard_rank_snapshots_day'), ['day'], unique=False)

    op.create_table('leaderboard_rivalries',
    sa.Column('follower_id', sa.BigInteger(), nullable=False),
    sa.Column('followee_id', sa.BigInteger(), nullable=False),
    sa.Column('followee_ahead', sa.Boolean(), nullable=False),
    sa.Column('overtakes', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['followee_id'], ['users.id'], name=op.f('fk_leaderboard_rivalries_followee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['follower_id'], ['users.id'], name=op.f('fk_leaderboard_rivalries_follower_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('follower_id', 'followee_id', name=op.f('pk_leaderboard_rivalries'))
    )
    with op.batch_alter_table('leaderboard_rivalries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leaderboard_rivalries_followee_id'), ['followee_id'], unique=False)

    op.create_table('leaderboard_top100_stints',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_leaderboard_top100_stints_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leaderboard_top100_stints'))
    )
    with op.batch_alter_table('leaderboard_top100_stints', schema=None) as batch_op:
        batch_op.create_index('uq_leaderboard_top100_stints_open', ['user_id'], unique=True, postgresql_where=sa.text('left_at IS NULL'), sqlite_where=sa.text('left_at IS NULL'))

    op.create_table('leaderboard_moderation_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('moderator_id', sa.BigInteger(), nullable=True),
    sa.Column('via', sa.String(length=8), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("action IN ('disqualified', 'reinstated')", name=op.f('ck_leaderboard_moderation_log_action')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_leaderboard_moderation_log_event_id_events')),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_leaderboard_moderation_log_moderator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_leaderboard_moderation_log_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leaderboard_moderation_log'))
    )
    with op.batch_alter_table('leaderboard_moderation_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leaderboard_moderation_log_user_id'), ['user_id'], unique=False)

    op.create_table('leaderboard_notices',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_leaderboard_notices_event_id_events')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_leaderboard_notices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_leaderboard_notices'))
    )
    with op.batch_alter_table('leaderboard_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leaderboard_notices_user_id'), ['user_id'], unique=False)

    op.create_table('leaderboard_periods',
    sa.Column('board', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_leaderboard_periods_event_id_events')),
    sa.PrimaryKeyConstraint('board', 'period', name=op.f('pk_leaderboard_periods'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_points', ['points'], unique=False)



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_points')

    op.drop_table('leaderboard_periods')
    with op.batch_alter_table('leaderboard_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leaderboard_notices_user_id'))

    op.drop_table('leaderboard_notices')
    with op.batch_alter_table('leaderboard_moderation_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leaderboard_moderation_log_user_id'))

    op.drop_table('leaderboard_moderation_log')
    with op.batch_alter_table('leaderboard_top100_stints', schema=None) as batch_op:
        batch_op.drop_index('uq_leaderboard_top100_stints_open', postgresql_where=sa.text('left_at IS NULL'), sqlite_where=sa.text('left_at IS NULL'))

    op.drop_table('leaderboard_top100_stints')
    with op.batch_alter_table('leaderboard_rivalries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leaderboard_rivalries_followee_id'))

    op.drop_table('leaderboard_rivalries')
    with op.batch_alter_table('leaderboard_rank_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leaderboard_rank_snapshots_day'))

    op.drop_table('leaderboard_rank_snapshots')
    op.drop_table('leaderboard_privacy')
    op.drop_table('leaderboard_disqualifications')
    with op.batch_alter_table('leaderboard_archive', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leaderboard_archive_user_id'))

    op.drop_table('leaderboard_archive')
    op.drop_table('leaderboard_checks')
