"""stakeholder contributions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 04:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.String(length=60), nullable=False),
    sa.Column('prompt_index', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organisation', sa.String(length=160), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'adopted', 'noted', 'declined', name='contributionstatus', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('adopted_into', sa.String(length=60), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('show_organisation', sa.Boolean(), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_contributions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_contributions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_contributions_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributions'))
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributions_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_contributions_region_id_step_id', ['region_id', 'step_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_region_id_step_id')
        batch_op.drop_index(batch_op.f('ix_contributions_author_id'))

    op.drop_table('contributions')
