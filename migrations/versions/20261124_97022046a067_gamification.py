"""Gamification: achievements, unlocks, streaks and active days, milestones, side quests, member topics; policy checkpoint on events.

Revision ID: 97022046a067
Revises: aa023b7e01fb
Created: 2026-11-24 12:21:31.073980
"""
from alembic import op
import sqlalchemy as sa


revision = '97022046a067'
down_revision = 'aa023b7e01fb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('achievements',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('rarity', sa.String(length=16), nullable=False),
    sa.Column('counter', sa.String(length=64), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_achievements'))
    )
    op.create_table('quests',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('difficulty', sa.String(length=16), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_quests'))
    )
    op.create_table('member_active_days',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_active_days_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_member_active_days'))
    )
    op.create_table('member_quests',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('quest_key', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['quest_key'], ['quests.key'], name=op.f('fk_member_quests_quest_key_quests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_quests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'quest_key', name=op.f('pk_member_quests'))
    )
    op.create_table('member_streaks',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('current', sa.Integer(), nullable=False),
    sa.Column('longest', sa.Integer(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('freezes', sa.Integer(), nullable=False),
    sa.Column('freezes_used', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_streaks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_member_streaks'))
    )
    op.create_table('member_topics',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_topics_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'topic', name=op.f('pk_member_topics'))
    )
    op.create_table('member_achievements',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('achievement_key', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('unlocked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['achievement_key'], ['achievements.key'], name=op.f('fk_member_achievements_achievement_key_achievements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_member_achievements_event_id_events')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_achievements_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'achievement_key', name=op.f('pk_member_achievements'))
    )
    with op.batch_alter_table('member_achievements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_achievements_achievement_key'), ['achievement_key'], unique=False)

    op.create_table('member_milestones',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=True),
    sa.Column('reached_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_member_milestones_event_id_events')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_milestones_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', 'value', name=op.f('pk_member_milestones'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('policed_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_events_actor_type_created', ['actor_id', 'type', 'created_at'], unique=False)
        batch_op.create_index('ix_events_unpoliced', ['id'], unique=False, postgresql_where=sa.text('policed_at IS NULL'), sqlite_where=sa.text('policed_at IS NULL'))

    with op.batch_alter_table('points_ledger', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_points_ledger_subject'), ['subject'], unique=False)
        batch_op.create_index('ix_points_ledger_user_rule_created', ['user_id', 'rule', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('points_ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_points_ledger_user_rule_created')
        batch_op.drop_index(batch_op.f('ix_points_ledger_subject'))
        batch_op.drop_column('subject')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_unpoliced', postgresql_where=sa.text('policed_at IS NULL'), sqlite_where=sa.text('policed_at IS NULL'))
        batch_op.drop_index('ix_events_actor_type_created')
        batch_op.drop_column('policed_at')

    op.drop_table('member_milestones')
    with op.batch_alter_table('member_achievements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_achievements_achievement_key'))

    op.drop_table('member_achievements')
    op.drop_table('member_topics')
    op.drop_table('member_streaks')
    op.drop_table('member_quests')
    op.drop_table('member_active_days')
    op.drop_table('quests')
    op.drop_table('achievements')
