"""cash shifts and drawer movements, the store's require_shift, dosage directions on sale lines

Revision ID: e5b1c2d3f4a6
Revises: e3b4c5d6e7f8
Create Date: 2026-11-25 19:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e5b1c2d3f4a6'
down_revision = 'e3b4c5d6e7f8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_shift', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('directions', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('directions_text', sa.String(length=500), nullable=True))
    op.create_table(
        'shifts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('store_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('opening_cash', sa.BigInteger(), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('expected_cash', sa.BigInteger(), nullable=True),
        sa.Column('counted_cash', sa.BigInteger(), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('summary', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_shifts_store_id_stores')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_shifts_user_id_users')),
        sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_shifts_closed_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shifts')),
    )
    op.create_index(op.f('ix_shifts_store_id'), 'shifts', ['store_id'], unique=False)
    op.create_index('uq_shifts_open_user_store', 'shifts', ['user_id', 'store_id'], unique=True,
                    sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))
    op.create_table(
        'cash_movements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('shift_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=3), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_cash_movements_shift_id_shifts')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cash_movements_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_movements')),
    )
    op.create_index(op.f('ix_cash_movements_shift_id'), 'cash_movements', ['shift_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_cash_movements_shift_id'), table_name='cash_movements')
    op.drop_table('cash_movements')
    op.drop_index('uq_shifts_open_user_store', table_name='shifts')
    op.drop_index(op.f('ix_shifts_store_id'), table_name='shifts')
    op.drop_table('shifts')
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_column('directions_text')
        batch_op.drop_column('directions')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('require_shift')
