"""sale lines: the quantity a paper prescription gives for a controlled drug

Revision ID: a9c1e3b5d7f0
Revises: c7e9a1b3d5f2
Create Date: 2026-11-26 00:55:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'a9c1e3b5d7f0'
down_revision = 'c7e9a1b3d5f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prescribed_quantity', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_column('prescribed_quantity')
