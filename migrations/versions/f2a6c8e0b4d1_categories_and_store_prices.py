"""product categories (nhóm hàng) on products, and per-store price overrides of the chain price per unit

Revision ID: f2a6c8e0b4d1
Revises: e1c5a7b3d9f2
Create Date: 2026-11-25 21:40:00

Existing products get no category; no store overrides a price (every store sells at the chain price).
"""
import sqlalchemy as sa
from alembic import op

revision = 'f2a6c8e0b4d1'
down_revision = 'e1c5a7b3d9f2'
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
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_products_category_id'), ['category_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_products_category_id_categories'), 'categories',
                                    ['category_id'], ['id'])
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
    with op.batch_alter_table('store_prices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_prices_product_unit_id'), ['product_unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('store_prices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_prices_product_unit_id'))
    op.drop_table('store_prices')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_products_category_id_categories'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_products_category_id'))
        batch_op.drop_column('category_id')
    op.drop_table('categories')
