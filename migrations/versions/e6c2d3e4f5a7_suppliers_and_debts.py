"""suppliers, supplier payments and price lists; receipts name their supplier, its invoice, and may be on credit

Revision ID: e6c2d3e4f5a7
Revises: e5b1c2d3f4a6
Create Date: 2026-11-25 19:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e6c2d3e4f5a7'
down_revision = 'e5b1c2d3f4a6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'suppliers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('tax_code', sa.String(length=14), nullable=False),
        sa.Column('address', sa.String(length=500), nullable=False),
        sa.Column('phone', sa.String(length=30), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    )
    op.create_index(op.f('ix_suppliers_tax_code'), 'suppliers', ['tax_code'], unique=False)
    op.create_table(
        'supplier_payments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('supplier_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('method', sa.String(length=20), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'],
                                name=op.f('fk_supplier_payments_supplier_id_suppliers')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supplier_payments_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_payments')),
    )
    op.create_index(op.f('ix_supplier_payments_supplier_id'), 'supplier_payments', ['supplier_id'], unique=False)
    op.create_table(
        'supplier_prices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('supplier_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('unit_name', sa.String(length=50), nullable=False),
        sa.Column('unit_price', sa.BigInteger(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_prices_supplier_id_suppliers')),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_supplier_prices_product_id_products')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_prices')),
        sa.UniqueConstraint('supplier_id', 'product_id', 'unit_name', name='uq_supplier_prices_supplier_product_unit'),
    )
    op.create_index(op.f('ix_supplier_prices_supplier_id'), 'supplier_prices', ['supplier_id'], unique=False)
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplier_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('supplier_invoice_number', sa.String(length=50), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('supplier_invoice_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('on_credit', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_receipts_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_receipts_supplier_id_suppliers'), 'suppliers', ['supplier_id'],
                                    ['id'])


def downgrade():
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_receipts_supplier_id_suppliers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_receipts_supplier_id'))
        batch_op.drop_column('on_credit')
        batch_op.drop_column('supplier_invoice_date')
        batch_op.drop_column('supplier_invoice_number')
        batch_op.drop_column('supplier_id')
    op.drop_index(op.f('ix_supplier_prices_supplier_id'), table_name='supplier_prices')
    op.drop_table('supplier_prices')
    op.drop_index(op.f('ix_supplier_payments_supplier_id'), table_name='supplier_payments')
    op.drop_table('supplier_payments')
    op.drop_index(op.f('ix_suppliers_tax_code'), table_name='suppliers')
    op.drop_table('suppliers')
