"""price-list rows that matched nothing, kept for the owner's review

Revision ID: e8e4a5b6c7d9
Revises: e7d3f4a5b6c8
Create Date: 2026-11-25 22:15:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e8e4a5b6c7d9'
down_revision = 'e7d3f4a5b6c8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supplier_price_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('national_code', sa.String(length=200), nullable=False),
    sa.Column('registration_no', sa.String(length=200), nullable=False),
    sa.Column('barcode', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=True),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('unit_name', sa.String(length=50), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_supplier_price_rows_product_id_products')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'],
                            name=op.f('fk_supplier_price_rows_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'],
                            name=op.f('fk_supplier_price_rows_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_price_rows'))
    )
    with op.batch_alter_table('supplier_price_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_price_rows_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_price_rows_supplier_id'), ['supplier_id'], unique=False)


def downgrade():
    op.drop_table('supplier_price_rows')
