"""owner reports: cost of each sale allocation fixed at the sale, per-store cost visibility, movement index

Revision ID: d4a7b9c1e3f5
Revises: c3f1a9e2b7d4
Create Date: 2026-11-25 18:30:00

Existing allocations get their lot's current cost once, here: the best figure there is for sales made before
costs were kept per allocation.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd4a7b9c1e3f5'
down_revision = 'c3f1a9e2b7d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sale_allocations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_cost', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        "UPDATE sale_allocations SET unit_cost = "
        "(SELECT stock_lots.unit_cost FROM stock_lots WHERE stock_lots.id = sale_allocations.stock_lot_id)"
    )
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pharmacists_see_cost', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.create_index('ix_movements_store_created', ['store_id', 'created_at'], unique=False)
    with op.batch_alter_table('customer_returns', schema=None) as batch_op:
        batch_op.create_index('ix_customer_returns_created_at', ['created_at'], unique=False)
    with op.batch_alter_table('sale_voids', schema=None) as batch_op:
        batch_op.create_index('ix_sale_voids_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sale_voids', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_voids_created_at')
    with op.batch_alter_table('customer_returns', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_returns_created_at')
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.drop_index('ix_movements_store_created')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('pharmacists_see_cost')
    with op.batch_alter_table('sale_allocations', schema=None) as batch_op:
        batch_op.drop_column('unit_cost')
