"""lot stock and its ledger, document numbering, and the documents: receipts, sales, voids, returns, issues, prescriptions

Revision ID: a1d3c5e7f902
Revises: 8b19ff0d53ec
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1d3c5e7f902'
down_revision = '8b19ff0d53ec'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_counters',
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=10), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_document_counters_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', 'series', name=op.f('pk_document_counters'))
    )
    op.create_table('goods_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('receiver_name', sa.String(length=500), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_goods_issues_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_goods_issues_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_issues')),
    sa.UniqueConstraint('store_id', 'number', name='uq_goods_issues_store_number')
    )
    with op.batch_alter_table('goods_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goods_issues_store_id'), ['store_id'], unique=False)

    op.create_table('prescriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('national_code', sa.String(length=50), nullable=True),
    sa.Column('doctor_name', sa.String(length=200), nullable=False),
    sa.Column('facility_name', sa.String(length=500), nullable=False),
    sa.Column('patient_name', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('lookup_snapshot', sa.JSON(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_prescriptions_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_prescriptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prescriptions'))
    )
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prescriptions_national_code'), ['national_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_prescriptions_store_id'), ['store_id'], unique=False)

    op.create_table('receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('supplier_name', sa.String(length=500), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_receipts_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_receipts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipts')),
    sa.UniqueConstraint('store_id', 'number', name='uq_receipts_store_number')
    )
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipts_store_id'), ['store_id'], unique=False)

    op.create_table('stock_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('manufactured', sa.Date(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_stock_lots_quantity_not_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_lots_product_id_products')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_stock_lots_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_lots')),
    sa.UniqueConstraint('store_id', 'product_id', 'lot', 'expiry', name='uq_stock_lots_identity')
    )
    with op.batch_alter_table('stock_lots', schema=None) as batch_op:
        batch_op.create_index('ix_stock_lots_store_product_expiry', ['store_id', 'product_id', 'expiry'], unique=False)

    op.create_table('stock_settings',
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('min_quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_settings_product_id_products')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_stock_settings_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', 'product_id', name=op.f('pk_stock_settings'))
    )
    op.create_table('issue_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('stock_lot_id', sa.Integer(), nullable=False),
    sa.Column('unit_name', sa.String(length=50), nullable=False),
    sa.Column('unit_factor', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('base_quantity', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['issue_id'], ['goods_issues.id'], name=op.f('fk_issue_lines_issue_id_goods_issues')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_issue_lines_product_id_products')),
    sa.ForeignKeyConstraint(['stock_lot_id'], ['stock_lots.id'], name=op.f('fk_issue_lines_stock_lot_id_stock_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issue_lines'))
    )
    with op.batch_alter_table('issue_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issue_lines_issue_id'), ['issue_id'], unique=False)

    op.create_table('movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stock_lot_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('document_type', sa.String(length=30), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_movements_product_id_products')),
    sa.ForeignKeyConstraint(['stock_lot_id'], ['stock_lots.id'], name=op.f('fk_movements_stock_lot_id_stock_lots')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_movements_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_movements_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_movements'))
    )
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_movements_stock_lot_id'), ['stock_lot_id'], unique=False)

    op.create_table('receipt_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('stock_lot_id', sa.Integer(), nullable=False),
    sa.Column('unit_name', sa.String(length=50), nullable=False),
    sa.Column('unit_factor', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('base_quantity', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('manufactured', sa.Date(), nullable=True),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_receipt_lines_product_id_products')),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipts.id'], name=op.f('fk_receipt_lines_receipt_id_receipts')),
    sa.ForeignKeyConstraint(['stock_lot_id'], ['stock_lots.id'], name=op.f('fk_receipt_lines_stock_lot_id_stock_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_lines'))
    )
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_lines_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('sales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('payment_method', sa.String(length=20), nullable=False),
    sa.Column('amount_tendered', sa.BigInteger(), nullable=True),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('prescription_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['prescription_id'], ['prescriptions.id'], name=op.f('fk_sales_prescription_id_prescriptions')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_sales_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sales_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales')),
    sa.UniqueConstraint('store_id', 'number', name='uq_sales_store_number')
    )
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_store_id'), ['store_id'], unique=False)

    op.create_table('customer_returns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('refund_total', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_customer_returns_sale_id_sales')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_customer_returns_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_customer_returns_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_returns'))
    )
    with op.batch_alter_table('customer_returns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_returns_sale_id'), ['sale_id'], unique=False)

    op.create_table('sale_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('unit_name', sa.String(length=50), nullable=False),
    sa.Column('unit_factor', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('returned_base_quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_sale_lines_product_id_products')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_sale_lines_sale_id_sales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_lines'))
    )
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_lines_sale_id'), ['sale_id'], unique=False)

    op.create_table('sale_voids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_sale_voids_sale_id_sales')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_sale_voids_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sale_voids_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_voids')),
    sa.UniqueConstraint('sale_id', name=op.f('uq_sale_voids_sale_id'))
    )
    op.create_table('sale_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sale_line_id', sa.Integer(), nullable=False),
    sa.Column('stock_lot_id', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('returned_quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sale_line_id'], ['sale_lines.id'], name=op.f('fk_sale_allocations_sale_line_id_sale_lines')),
    sa.ForeignKeyConstraint(['stock_lot_id'], ['stock_lots.id'], name=op.f('fk_sale_allocations_stock_lot_id_stock_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_allocations'))
    )
    with op.batch_alter_table('sale_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_allocations_sale_line_id'), ['sale_line_id'], unique=False)

    op.create_table('return_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('sale_line_id', sa.Integer(), nullable=False),
    sa.Column('sale_allocation_id', sa.Integer(), nullable=False),
    sa.Column('stock_lot_id', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('base_quantity', sa.Integer(), nullable=False),
    sa.Column('refund', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['customer_returns.id'], name=op.f('fk_return_lines_return_id_customer_returns')),
    sa.ForeignKeyConstraint(['sale_allocation_id'], ['sale_allocations.id'], name=op.f('fk_return_lines_sale_allocation_id_sale_allocations')),
    sa.ForeignKeyConstraint(['sale_line_id'], ['sale_lines.id'], name=op.f('fk_return_lines_sale_line_id_sale_lines')),
    sa.ForeignKeyConstraint(['stock_lot_id'], ['stock_lots.id'], name=op.f('fk_return_lines_stock_lot_id_stock_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_lines'))
    )
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_lines_return_id'), ['return_id'], unique=False)


def downgrade():
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_lines_return_id'))

    op.drop_table('return_lines')
    with op.batch_alter_table('sale_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_allocations_sale_line_id'))

    op.drop_table('sale_allocations')
    op.drop_table('sale_voids')
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_lines_sale_id'))

    op.drop_table('sale_lines')
    with op.batch_alter_table('customer_returns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_returns_sale_id'))

    op.drop_table('customer_returns')
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_store_id'))
        batch_op.drop_index(batch_op.f('ix_sales_created_at'))

    op.drop_table('sales')
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_lines_receipt_id'))

    op.drop_table('receipt_lines')
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_movements_stock_lot_id'))

    op.drop_table('movements')
    with op.batch_alter_table('issue_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issue_lines_issue_id'))

    op.drop_table('issue_lines')
    op.drop_table('stock_settings')
    with op.batch_alter_table('stock_lots', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_lots_store_product_expiry')

    op.drop_table('stock_lots')
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipts_store_id'))

    op.drop_table('receipts')
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prescriptions_store_id'))
        batch_op.drop_index(batch_op.f('ix_prescriptions_national_code'))

    op.drop_table('prescriptions')
    with op.batch_alter_table('goods_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goods_issues_store_id'))

    op.drop_table('goods_issues')
    op.drop_table('document_counters')
