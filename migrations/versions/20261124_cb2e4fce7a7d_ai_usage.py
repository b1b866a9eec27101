"""ai usage

Revision ID: cb2e4fce7a7d
Revises: b82953aacce3
Created: 2026-11-24 14:47:06.390510
"""
from alembic import op
import sqlalchemy as sa


revision = 'cb2e4fce7a7d'
down_revision = 'b82953aacce3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ai_spend',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('spent_micros', sa.BigInteger(), nullable=False),
    sa.Column('reserved_micros', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'scope', name=op.f('pk_ai_spend'))
    )
    op.create_table('ai_usage',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('member_id', sa.BigInteger(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('model', sa.String(length=80), nullable=False),
    sa.Column('operation', sa.String(length=20), nullable=False),
    sa.Column('input_tokens', sa.Integer(), nullable=False),
    sa.Column('output_tokens', sa.Integer(), nullable=False),
    sa.Column('cost_micros', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_ai_usage_member_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ai_usage'))
    )
    with op.batch_alter_table('ai_usage', schema=None) as batch_op:
        batch_op.create_index('ix_ai_usage_day_member', ['day', 'member_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ai_usage', schema=None) as batch_op:
        batch_op.drop_index('ix_ai_usage_day_member')

    op.drop_table('ai_usage')
    op.drop_table('ai_spend')
