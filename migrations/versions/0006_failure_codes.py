"""failed campaigns and banners keep their reason's code and values beside its English

Rows made before keep their English reason alone (error_data ''), which pages show as it is.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 02:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('banner_task', 'campaign'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('error_data', sa.Text(), nullable=False, server_default=''))


def downgrade():
    for table in ('campaign', 'banner_task'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('error_data')
