"""logins: one row per editor's session, so a log-out ends it wherever its cookie went

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 20:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['editor.id'], name=op.f('fk_login_editor_id_editor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login'))
    )
    with op.batch_alter_table('login', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_editor_id'), ['editor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('login', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_editor_id'))
    op.drop_table('login')
