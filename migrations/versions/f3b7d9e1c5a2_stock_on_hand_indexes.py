"""stock on hand read from indexes: quantity carried in the (store, product, expiry) index, and the value on hand
per store and expiry (quantity, cost, state; lots with stock only) for the owner's overview

Revision ID: f3b7d9e1c5a2
Revises: f2a6c8e0b4d1
Create Date: 2026-11-25 21:45:00

The overview across 100 stores × 5,000 lots summed every lot row with a CASE per expiry window and probed the
table once per minimum set; these indexes let both be index-only reads (bench/owner_bench.py). A lot's quantity
is now in two indexes, so its updates are no longer HOT: a few index entries more per lot a document touches.
"""
import sqlalchemy as sa
from alembic import op

revision = 'f3b7d9e1c5a2'
down_revision = 'f2a6c8e0b4d1'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_stock_lots_store_product_expiry', table_name='stock_lots')
    op.create_index('ix_stock_lots_store_product_expiry', 'stock_lots', ['store_id', 'product_id', 'expiry'],
                    unique=False, postgresql_include=['quantity'])
    op.create_index('ix_stock_lots_on_hand', 'stock_lots', ['store_id', 'expiry'], unique=False,
                    postgresql_include=['quantity', 'unit_cost', 'state'],
                    postgresql_where=sa.text('quantity > 0'), sqlite_where=sa.text('quantity > 0'))


def downgrade():
    op.drop_index('ix_stock_lots_on_hand', table_name='stock_lots')
    op.drop_index('ix_stock_lots_store_product_expiry', table_name='stock_lots')
    op.create_index('ix_stock_lots_store_product_expiry', 'stock_lots', ['store_id', 'product_id', 'expiry'],
                    unique=False)
