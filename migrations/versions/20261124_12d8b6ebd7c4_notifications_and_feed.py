"""Notifications, their causes and settings; blocks and mutes; reposts.

Revision ID: 12d8b6ebd7c4
Revises: ba79b8834d3c
Created: 2026-11-24 13:12:17.220673
"""
from alembic import op
import sqlalchemy as sa


revision = '12d8b6ebd7c4'
down_revision = 'ba79b8834d3c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blocks',
    sa.Column('blocker_id', sa.BigInteger(), nullable=False),
    sa.Column('blocked_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('blocker_id <> blocked_id', name=op.f('ck_blocks_not_self')),
    sa.ForeignKeyConstraint(['blocked_id'], ['users.id'], name=op.f('fk_blocks_blocked_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blocker_id'], ['users.id'], name=op.f('fk_blocks_blocker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('blocker_id', 'blocked_id', name=op.f('pk_blocks'))
    )
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blocks_blocked_id'), ['blocked_id'], unique=False)

    op.create_table('mutes',
    sa.Column('muter_id', sa.BigInteger(), nullable=False),
    sa.Column('muted_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('muter_id <> muted_id', name=op.f('ck_mutes_not_self')),
    sa.ForeignKeyConstraint(['muted_id'], ['users.id'], name=op.f('fk_mutes_muted_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['muter_id'], ['users.id'], name=op.f('fk_mutes_muter_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('muter_id', 'muted_id', name=op.f('pk_mutes'))
    )
    op.create_table('notification_settings',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('email_enabled', sa.Boolean(), nullable=False),
    sa.Column('quiet_start', sa.Integer(), nullable=False),
    sa.Column('quiet_end', sa.Integer(), nullable=False),
    sa.CheckConstraint('quiet_start BETWEEN 0 AND 1439 AND quiet_end BETWEEN 0 AND 1439', name=op.f('ck_notification_settings_quiet')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_settings'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('group_key', sa.String(length=80), nullable=True),
    sa.Column('actor_ids', sa.JSON(), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.BigInteger(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('uq_notifications_unread_group', ['user_id', 'group_key'], unique=True, postgresql_where=sa.text('read_at IS NULL AND group_key IS NOT NULL'), sqlite_where=sa.text('read_at IS NULL AND group_key IS NOT NULL'))

    op.create_table('notification_causes',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('notification_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_notification_causes_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_notification_causes_notification_id_notifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_causes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_notification_causes'))
    )
    op.create_table('reposts',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('activity_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['events.id'], name=op.f('fk_reposts_activity_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reposts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'activity_id', name=op.f('pk_reposts'))
    )
    with op.batch_alter_table('reposts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reposts_activity_id'), ['activity_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reposts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reposts_activity_id'))

    op.drop_table('reposts')
    op.drop_table('notification_causes')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('uq_notifications_unread_group', postgresql_where=sa.text('read_at IS NULL AND group_key IS NOT NULL'), sqlite_where=sa.text('read_at IS NULL AND group_key IS NOT NULL'))
        batch_op.drop_index('ix_notifications_user_created')

    op.drop_table('notifications')
    op.drop_table('notification_settings')
    op.drop_table('mutes')
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocks_blocked_id'))

    op.drop_table('blocks')
