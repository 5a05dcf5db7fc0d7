"""CSDL Dược v2: unit ids on product units, the catalogue watermark, opening balances of stores switched to v2

Revision ID: c7a2e41d9b10
Revises: b2e4d6f8a013
Create Date: 2026-11-23 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7a2e41d9b10'
down_revision = 'b2e4d6f8a013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('product_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('v2_unit_id', sa.String(length=50), nullable=True))

    op.create_table('catalog_sync_states',
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('watermark', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('source', name=op.f('pk_catalog_sync_states'))
    )
    op.create_table('opening_balances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_messages.id'],
                            name=op.f('fk_opening_balances_message_id_outbox_messages')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_opening_balances_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_balances')),
    sa.UniqueConstraint('store_id', 'number', name='uq_opening_balances_store_number')
    )
    with op.batch_alter_table('opening_balances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opening_balances_store_id'), ['store_id'], unique=False)

    op.create_table('opening_balance_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opening_balance_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('stock_lot_id', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('manufactured', sa.Date(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['opening_balance_id'], ['opening_balances.id'],
                            name=op.f('fk_opening_balance_lines_opening_balance_id_opening_balances'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                            name=op.f('fk_opening_balance_lines_product_id_products')),
    sa.ForeignKeyConstraint(['stock_lot_id'], ['stock_lots.id'],
                            name=op.f('fk_opening_balance_lines_stock_lot_id_stock_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_balance_lines'))
    )
    with op.batch_alter_table('opening_balance_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opening_balance_lines_opening_balance_id'), ['opening_balance_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('opening_balance_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opening_balance_lines_opening_balance_id'))
    op.drop_table('opening_balance_lines')
    with op.batch_alter_table('opening_balances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opening_balances_store_id'))
    op.drop_table('opening_balances')
    op.drop_table('catalog_sync_states')
    with op.batch_alter_table('product_units', schema=None) as batch_op:
        batch_op.drop_column('v2_unit_id')
