"""project pages

Revision ID: b82953aacce3
Revises: 12d8b6ebd7c4
Created: 2026-11-24 14:41:59.987741
"""
from alembic import op
import sqlalchemy as sa


revision = 'b82953aacce3'
down_revision = '12d8b6ebd7c4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('view_tallies',
    sa.Column('batch_id', sa.String(length=40), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('counted_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('batch_id', name=op.f('pk_view_tallies'))
    )
    op.create_table('project_blocks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('text', 'heading', 'image', 'code', 'mermaid', 'link')", name=op.f('ck_project_blocks_kind_known')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_blocks_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_blocks'))
    )
    with op.batch_alter_table('project_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_blocks_project_id'), ['project_id'], unique=False)

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('view_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('status', sa.String(length=12), server_default='published', nullable=False))
        batch_op.add_column(sa.Column('visibility', sa.String(length=12), server_default='public', nullable=False))
        batch_op.add_column(sa.Column('source_url', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('ai_summary', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_projects_listed', ['status', 'visibility', 'created_at'], unique=False)
        batch_op.create_check_constraint(op.f('ck_projects_status_known'), "status IN ('draft', 'published')")
        batch_op.create_check_constraint(op.f('ck_projects_visibility_known'), "visibility IN ('public', 'private')")
    # Every project so far was published the moment it was created.
    op.execute("UPDATE projects SET published_at = created_at, updated_at = created_at")
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_projects_visibility_known'), type_='check')
        batch_op.drop_constraint(op.f('ck_projects_status_known'), type_='check')
        batch_op.drop_index('ix_projects_listed')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('published_at')
        batch_op.drop_column('ai_summary')
        batch_op.drop_column('source_url')
        batch_op.drop_column('visibility')
        batch_op.drop_column('status')
        batch_op.drop_column('view_count')

    with op.batch_alter_table('project_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_blocks_project_id'))

    op.drop_table('project_blocks')
    op.drop_table('view_tallies')
