"""stores.returns_to_quarantine: customer returns go to quarantine unless the store sends them back to sellable;
return_lines.state says where each returned lot went; stock_count_lines.state: a lot in both states is counted per
state

Revision ID: e9b5c6d7e8fa
Revises: e8e4a5b6c7d9
Create Date: 2026-11-25 21:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e9b5c6d7e8fa'
down_revision = 'e8e4a5b6c7d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('returns_to_quarantine', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=12), nullable=False, server_default='sellable'))
    with op.batch_alter_table('stock_count_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=12), nullable=False, server_default='sellable'))


def downgrade():
    with op.batch_alter_table('stock_count_lines', schema=None) as batch_op:
        batch_op.drop_column('state')
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.drop_column('state')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('returns_to_quarantine')
