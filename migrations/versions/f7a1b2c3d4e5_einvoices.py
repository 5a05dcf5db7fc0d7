"""tax e-invoices from the cash register: store settings, product VAT rate, one row per invoice and correction

Revision ID: f7a1b2c3d4e5
Revises: f3b7d9e1c5a2
Create Date: 2026-11-25 22:00:00

Every existing store starts with e-invoices off (provider NULL) on the decree-70-2025 rules.
"""
import sqlalchemy as sa
from alembic import op

revision = 'f7a1b2c3d4e5'
down_revision = 'f3b7d9e1c5a2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('einvoice_provider', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('seller_tax_code', sa.String(length=14), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('einvoice_template', sa.String(length=2), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('einvoice_symbol', sa.String(length=6), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('einvoice_authority_code', sa.String(length=5), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('einvoice_rules', sa.String(length=20), nullable=False,
                                      server_default='decree-70-2025'))
        batch_op.add_column(sa.Column('einvoice_username', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('einvoice_password_encrypted', sa.String(length=500), nullable=True))
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vat_rate', sa.Integer(), nullable=True))
    op.create_table('einvoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('document_type', sa.String(length=30), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=50), nullable=False),
    sa.Column('original_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('client_key', sa.String(length=36), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('rules', sa.String(length=20), nullable=False),
    sa.Column('template', sa.String(length=2), nullable=False),
    sa.Column('symbol', sa.String(length=6), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('buyer', sa.JSON(), nullable=True),
    sa.Column('number', sa.String(length=30), nullable=True),
    sa.Column('mtt_code', sa.String(length=23), nullable=True),
    sa.Column('lookup_code', sa.String(length=60), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_messages.id'],
                            name=op.f('fk_einvoices_message_id_outbox_messages')),
    sa.ForeignKeyConstraint(['original_id'], ['einvoices.id'], name=op.f('fk_einvoices_original_id_einvoices')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_einvoices_sale_id_sales')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_einvoices_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_einvoices')),
    sa.UniqueConstraint('client_key', name=op.f('uq_einvoices_client_key'))
    )
    with op.batch_alter_table('einvoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_einvoices_sale_id'), ['sale_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_einvoices_store_id'), ['store_id'], unique=False)


def downgrade():
    with op.batch_alter_table('einvoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_einvoices_store_id'))
        batch_op.drop_index(batch_op.f('ix_einvoices_sale_id'))
    op.drop_table('einvoices')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('vat_rate')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        for name in ('einvoice_password_encrypted', 'einvoice_username', 'einvoice_rules', 'einvoice_authority_code',
                     'einvoice_symbol', 'einvoice_template', 'seller_tax_code', 'einvoice_provider'):
            batch_op.drop_column(name)
