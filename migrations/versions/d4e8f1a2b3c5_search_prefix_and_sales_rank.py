"""search and stock reads: a prefix index over the folded search text (PostgreSQL), movements by store and product

Revision ID: d4e8f1a2b3c5
Revises: d4e6a8c0b2f1
Create Date: 2026-11-25 18:40:00

"""
from alembic import op


revision = 'd4e8f1a2b3c5'
down_revision = 'd4e6a8c0b2f1'
branch_labels = None
depends_on = None


def upgrade():
    # The folded text starts with the folded name: `search_text LIKE 'para%'` becomes a btree range scan instead of
    # a trigram bitmap scan that rechecks thousands of rows. SQLite's FTS5 index answers prefixes already ('^').
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_products_search_prefix ON products (search_text text_pattern_ops)")
    # Best sellers of a store among search results, and a product's movements in one store.
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.create_index('ix_movements_store_product', ['store_id', 'product_id'], unique=False)


def downgrade():
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.drop_index('ix_movements_store_product')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_products_search_prefix")
