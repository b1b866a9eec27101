"""tool directory: tools, reviews, the tools a project was built with

Revision ID: 95dd1417fbb5
Revises: b82953aacce3
Created: 2026-11-24 14:47:24.079750
"""
from alembic import op
import sqlalchemy as sa


revision = '95dd1417fbb5'
down_revision = 'cb2e4fce7a7d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tools',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('vendor', sa.String(length=80), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('pricing', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('use_cases', sa.JSON(), nullable=False),
    sa.Column('best_practices', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("pricing IN ('free', 'freemium', 'paid', 'open-source', 'usage-based')", name=op.f('ck_tools_pricing_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tools')),
    sa.UniqueConstraint('slug', name=op.f('uq_tools_slug'))
    )
    with op.batch_alter_table('tools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tools_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_tools_name'), ['name'], unique=False)

    op.create_table('tool_reviews',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tool_id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_tool_reviews_rating_range')),
    sa.ForeignKeyConstraint(['tool_id'], ['tools.id'], name=op.f('fk_tool_reviews_tool_id_tools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_tool_reviews_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tool_reviews')),
    sa.UniqueConstraint('tool_id', 'user_id', name=op.f('uq_tool_reviews_tool_id_user_id'))
    )
    with op.batch_alter_table('tool_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tool_reviews_user_id'), ['user_id'], unique=False)

    op.create_table('project_tools',
    sa.Column('project_id', sa.BigInteger(), nullable=False),
    sa.Column('tool_id', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_tools_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tool_id'], ['tools.id'], name=op.f('fk_project_tools_tool_id_tools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'tool_id', name=op.f('pk_project_tools'))
    )
    with op.batch_alter_table('project_tools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_tools_tool_id'), ['tool_id'], unique=False)



def downgrade():
    with op.batch_alter_table('project_tools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_tools_tool_id'))

    op.drop_table('project_tools')
    with op.batch_alter_table('tool_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tool_reviews_user_id'))

    op.drop_table('tool_reviews')
    with op.batch_alter_table('tools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tools_name'))
        batch_op.drop_index(batch_op.f('ix_tools_category'))

    op.drop_table('tools')
