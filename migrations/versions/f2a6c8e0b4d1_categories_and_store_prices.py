"""product categories (nhóm hàng) on products, and per-store price overrides of the chain price per unit

Revision ID: f2a6c8e0b4d1
Revises: b0c1d2e3f4a5
Create Date: 2026-11-25 21:40:00

Existing products get no category; no store overrides a price (every store sells at the chain price).
"""
import sqlalchemy as sa
from alembic import op

revision = 'f2a6c8e0b4d1'
down_revision = 'b0c1d2e3f4a5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('name', name=op.f('uq_categories_name'))
    )
    # ADD COLUMN in place (no batch copy on SQLite: the products table carries the search index's triggers)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE products ADD COLUMN category_id INTEGER '
                   'CONSTRAINT fk_products_category_id_categories REFERENCES categories (id)')
    else:
        op.add_column('products', sa.Column('category_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_products_category_id_categories'), 'products', 'categories',
                              ['category_id'], ['id'])
    op.create_index(op.f('ix_products_category_id'), 'products', ['category_id'], unique=False)
    op.create_table('store_prices',
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('product_unit_id', sa.Integer(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_unit_id'], ['product_units.id'],
                            name=op.f('fk_store_prices_product_unit_id_product_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_store_prices_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', 'product_unit_id', name=op.f('pk_store_prices'))
    )
    op.create_index(op.f('ix_store_prices_product_unit_id'), 'store_prices', ['product_unit_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_store_prices_product_unit_id'), table_name='store_prices')
    op.drop_table('store_prices')
    op.drop_index(op.f('ix_products_category_id'), table_name='products')
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        # SQLite cannot drop a column that a foreign key names: the table is copied without it, and the copy gets
        # back the search index's triggers (same ids, so the index stays true).
        triggers = bind.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                        "AND tbl_name = 'products'")).scalars().all()
        with op.batch_alter_table('products', recreate='always') as batch:
            batch.drop_column('category_id')
        for trigger in triggers:
            op.execute(trigger)
    else:
        op.drop_constraint(op.f('fk_products_category_id_categories'), 'products', type_='foreignkey')
        op.drop_column('products', 'category_id')
    op.drop_table('categories')
