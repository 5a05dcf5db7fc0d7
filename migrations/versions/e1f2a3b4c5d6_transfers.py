"""transfers between stores: transfers, their lines and the source lots each line took

Revision ID: e1f2a3b4c5d6
Revises: d4a7b9c1e3f5
Create Date: 2026-11-25 19:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e1f2a3b4c5d6'
down_revision = 'd4a7b9c1e3f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('from_store_id', sa.Integer(), nullable=False),
    sa.Column('to_store_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('discrepancy_reason', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['from_store_id'], ['stores.id'], name=op.f('fk_transfers_from_store_id_stores')),
    sa.ForeignKeyConstraint(['to_store_id'], ['stores.id'], name=op.f('fk_transfers_to_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_transfers_user_id_users')),
    sa.ForeignKeyConstraint(['received_by_id'], ['users.id'], name=op.f('fk_transfers_received_by_id_users')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_transfers_cancelled_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers')),
    sa.UniqueConstraint('from_store_id', 'number', name='uq_transfers_store_number')
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfers_from_store_id'), ['from_store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfers_to_store_id'), ['to_store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfers_status'), ['status'], unique=False)
    op.create_table('transfer_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('unit_name', sa.String(length=50), nullable=False),
    sa.Column('unit_factor', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_transfer_lines_transfer_id_transfers')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_transfer_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_lines'))
    )
    with op.batch_alter_table('transfer_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_lines_transfer_id'), ['transfer_id'], unique=False)
    op.create_table('transfer_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_line_id', sa.Integer(), nullable=False),
    sa.Column('source_lot_id', sa.Integer(), nullable=False),
    sa.Column('destination_lot_id', sa.Integer(), nullable=True),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('manufactured', sa.Date(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('received_quantity', sa.Integer(), nullable=True),
    sa.Column('unit_cost', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['transfer_line_id'], ['transfer_lines.id'],
                            name=op.f('fk_transfer_allocations_transfer_line_id_transfer_lines')),
    sa.ForeignKeyConstraint(['source_lot_id'], ['stock_lots.id'],
                            name=op.f('fk_transfer_allocations_source_lot_id_stock_lots')),
    sa.ForeignKeyConstraint(['destination_lot_id'], ['stock_lots.id'],
                            name=op.f('fk_transfer_allocations_destination_lot_id_stock_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_allocations'))
    )
    with op.batch_alter_table('transfer_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_allocations_transfer_line_id'), ['transfer_line_id'],
                              unique=False)


def downgrade():
    op.drop_table('transfer_allocations')
    op.drop_table('transfer_lines')
    op.drop_table('transfers')
