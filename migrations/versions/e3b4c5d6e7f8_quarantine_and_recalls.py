"""quarantine and recalls: a state per stock lot row (sellable | quarantine), recall decisions and their lots

Revision ID: e3b4c5d6e7f8
Revises: e2a3b4c5d6e7
Create Date: 2026-11-25 19:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e3b4c5d6e7f8'
down_revision = 'e2a3b4c5d6e7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stock_lots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=12), nullable=False, server_default='sellable'))
        batch_op.drop_constraint('uq_stock_lots_identity', type_='unique')
        batch_op.create_unique_constraint('uq_stock_lots_identity',
                                          ['store_id', 'product_id', 'lot', 'expiry', 'state'])
    op.create_table('recalls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_number', sa.String(length=100), nullable=False),
        sa.Column('decision_date', sa.Date(), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('registration_no', sa.String(length=50), nullable=True),
        sa.Column('gtin', sa.String(length=14), nullable=True),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('all_lots', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('source', sa.String(length=500), nullable=False, server_default=''),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_recalls_product_id_products')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recalls_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recalls')),
        sa.UniqueConstraint('decision_number', 'product_id', name='uq_recalls_decision_product'),
    )
    op.create_index('ix_recalls_product_id', 'recalls', ['product_id'])
    op.create_table('recall_lots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recall_id', sa.Integer(), nullable=False),
        sa.Column('lot', sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(['recall_id'], ['recalls.id'], name=op.f('fk_recall_lots_recall_id_recalls')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recall_lots')),
        sa.UniqueConstraint('recall_id', 'lot', name='uq_recall_lots_recall_lot'),
    )
    with op.batch_alter_table('goods_issues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recall_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_goods_issues_recall_id', ['recall_id'], unique=False)
        batch_op.create_foreign_key('fk_goods_issues_recall_id_recalls', 'recalls', ['recall_id'], ['id'])
    op.create_table('stock_state_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('store_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('lot', sa.String(length=50), nullable=False),
        sa.Column('expiry', sa.Date(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('to_state', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('recall_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_stock_state_changes_store_id_stores')),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name=op.f('fk_stock_state_changes_product_id_products')),
        sa.ForeignKeyConstraint(['recall_id'], ['recalls.id'], name=op.f('fk_stock_state_changes_recall_id_recalls')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_stock_state_changes_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_state_changes')),
    )
    op.create_index('ix_stock_state_changes_store_id', 'stock_state_changes', ['store_id'])
    op.create_index('ix_stock_state_changes_recall_id', 'stock_state_changes', ['recall_id'])


def downgrade():
    op.drop_table('stock_state_changes')
    with op.batch_alter_table('goods_issues', schema=None) as batch_op:
        batch_op.drop_constraint('fk_goods_issues_recall_id_recalls', type_='foreignkey')
        batch_op.drop_index('ix_goods_issues_recall_id')
        batch_op.drop_column('recall_id')
    op.drop_table('recall_lots')
    op.drop_index('ix_recalls_product_id', table_name='recalls')
    op.drop_table('recalls')
    op.execute("DELETE FROM stock_lots WHERE state = 'quarantine' AND quantity = 0")
    with op.batch_alter_table('stock_lots', schema=None) as batch_op:
        batch_op.drop_constraint('uq_stock_lots_identity', type_='unique')
        batch_op.create_unique_constraint('uq_stock_lots_identity', ['store_id', 'product_id', 'lot', 'expiry'])
        batch_op.drop_column('state')
