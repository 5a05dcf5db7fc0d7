"""controlled drugs: product flags and suggested class, store type and approved classes, prescription form, the
controlled-drug ledger and its incidents

Revision ID: f8b2d4a6c0e3
Revises: f7a1c3e5b9d2
Create Date: 2026-11-25 22:10:00

Existing stores become nhà thuốc with no approved control class: an owner records the approvals they hold.
"""
import sqlalchemy as sa
from alembic import op

revision = 'f8b2d4a6c0e3'
down_revision = 'f7a1c3e5b9d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('controlled_combination', sa.Boolean(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('restricted_retail', sa.Boolean(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('suggested_control_type', sa.Integer(), nullable=True))
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('store_type', sa.String(length=20), nullable=False,
                                      server_default='nha_thuoc'))
        batch_op.add_column(sa.Column('approved_control_classes', sa.JSON(), nullable=True))
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form', sa.String(length=1), nullable=False, server_default=''))
    op.create_table('controlled_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('control_type', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('document_type', sa.String(length=30), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=50), nullable=False),
    sa.Column('counterparty', sa.String(length=500), nullable=False),
    sa.Column('buyer_address', sa.String(length=500), nullable=False),
    sa.Column('buyer_id_number', sa.String(length=20), nullable=False),
    sa.Column('prescription_code', sa.String(length=50), nullable=False),
    sa.Column('prescription_form', sa.String(length=1), nullable=False),
    sa.Column('doctor_name', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_controlled_entries_product_id_products')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_controlled_entries_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_controlled_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_controlled_entries'))
    )
    with op.batch_alter_table('controlled_entries', schema=None) as batch_op:
        batch_op.create_index('ix_controlled_entries_store_product', ['store_id', 'product_id', 'lot'], unique=False)
        batch_op.create_index('ix_controlled_entries_store_created', ['store_id', 'created_at'], unique=False)
    op.create_table('controlled_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('document_type', sa.String(length=30), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=50), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('report_note', sa.String(length=1000), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_controlled_incidents_product_id_products')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'],
                            name=op.f('fk_controlled_incidents_reported_by_id_users')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_controlled_incidents_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_controlled_incidents'))
    )
    with op.batch_alter_table('controlled_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_controlled_incidents_store_id'), ['store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_controlled_incidents_deadline'), ['deadline'], unique=False)


def downgrade():
    op.drop_table('controlled_incidents')
    op.drop_table('controlled_entries')
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.drop_column('form')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('approved_control_classes')
        batch_op.drop_column('store_type')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('suggested_control_type')
        batch_op.drop_column('restricted_retail')
        batch_op.drop_column('controlled_combination')
