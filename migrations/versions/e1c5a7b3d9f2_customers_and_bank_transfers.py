"""customers, discounts, sales' customer and payment status (VietQR bank transfers), store bank accounts and
discount ceiling, bank notifications

Revision ID: e1c5a7b3d9f2
Revises: e6c2d3e4f5a7
Create Date: 2026-11-25 19:45:00

Existing sales were all paid at the counter (payment_status 'paid') without discounts (their amounts are net).
"""
import sqlalchemy as sa
from alembic import op

revision = 'e1c5a7b3d9f2'
down_revision = 'e6c2d3e4f5a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('allergies', sa.String(length=1000), nullable=False),
    sa.Column('notes', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('phone', name=op.f('uq_customers_phone'))
    )
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('payment_status', sa.String(length=20), nullable=False,
                                      server_default='paid'))
        batch_op.add_column(sa.Column('payment_memo', sa.String(length=25), nullable=True))
        batch_op.add_column(sa.Column('payment_qr', sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('discount_amount', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('discount_reason', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('discount_approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('payment_confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sales_payment_confirmed_by_id_users'), 'users',
                                    ['payment_confirmed_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_sales_discount_approved_by_id_users'), 'users',
                                    ['discount_approved_by_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_sales_customer_id'), ['customer_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_sales_payment_memo'), ['payment_memo'])
        batch_op.create_foreign_key(batch_op.f('fk_sales_customer_id_customers'), 'customers', ['customer_id'],
                                    ['id'])
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discount_amount', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('cart_discount_share', sa.BigInteger(), nullable=False, server_default='0'))
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pharmacist_max_discount_percent', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('bank_bin', sa.String(length=6), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('bank_account', sa.String(length=19), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('bank_account_name', sa.String(length=100), nullable=False,
                                      server_default=''))
    op.create_table('bank_notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notification_id', sa.String(length=100), nullable=False),
    sa.Column('gateway', sa.String(length=100), nullable=False),
    sa.Column('account_number', sa.String(length=50), nullable=False),
    sa.Column('content', sa.String(length=500), nullable=False),
    sa.Column('transfer_type', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reference_code', sa.String(length=100), nullable=False),
    sa.Column('transaction_date', sa.String(length=40), nullable=False),
    sa.Column('memo', sa.String(length=25), nullable=True),
    sa.Column('sale_id', sa.Integer(), nullable=True),
    sa.Column('store_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('expected_amount', sa.BigInteger(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_bank_notifications_sale_id_sales')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_bank_notifications_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_notifications')),
    sa.UniqueConstraint('notification_id', name=op.f('uq_bank_notifications_notification_id'))
    )
    with op.batch_alter_table('bank_notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_notifications_sale_id'), ['sale_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_notifications_store_id'), ['store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_notifications_outcome'), ['outcome'], unique=False)


def downgrade():
    op.drop_table('bank_notifications')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('bank_account_name')
        batch_op.drop_column('bank_account')
        batch_op.drop_column('bank_bin')
        batch_op.drop_column('pharmacist_max_discount_percent')
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_column('cart_discount_share')
        batch_op.drop_column('discount_amount')
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sales_payment_confirmed_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_sales_discount_approved_by_id_users'), type_='foreignkey')
        batch_op.drop_column('payment_confirmed_by_id')
        batch_op.drop_constraint(batch_op.f('fk_sales_customer_id_customers'), type_='foreignkey')
        batch_op.drop_column('discount_approved_by_id')
        batch_op.drop_column('discount_reason')
        batch_op.drop_column('discount_amount')
        batch_op.drop_constraint(batch_op.f('uq_sales_payment_memo'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_sales_customer_id'))
        batch_op.drop_column('paid_at')
        batch_op.drop_column('payment_qr')
        batch_op.drop_column('payment_memo')
        batch_op.drop_column('payment_status')
        batch_op.drop_column('customer_id')
    op.drop_table('customers')
