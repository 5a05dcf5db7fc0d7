"""owner reports: sale allocation cost, per-store cost visibility, daily sales totals, licensed pharmacists

Revision ID: d4a7b9c1e3f5
Revises: d4e8f1a2b3c5
Create Date: 2026-11-25 18:30:00

Existing allocations get their lot's current cost once, here: the best figure there is for sales made before
costs were kept per allocation. sales_daily is filled from the documents (a frozen copy of the rules in
pharmacy/sales/daily.py: a sale on its local day, a void and a return deducting on theirs).
"""
from alembic import op
import sqlalchemy as sa


revision = 'd4a7b9c1e3f5'
down_revision = 'd4e8f1a2b3c5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sale_allocations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_cost', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        "UPDATE sale_allocations SET unit_cost = "
        "(SELECT stock_lots.unit_cost FROM stock_lots WHERE stock_lots.id = sale_allocations.stock_lot_id)"
    )
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pharmacists_see_cost', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('licensed_pharmacist', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.create_index('ix_movements_store_created', ['store_id', 'created_at'], unique=False)
    with op.batch_alter_table('customer_returns', schema=None) as batch_op:
        batch_op.create_index('ix_customer_returns_created_at', ['created_at'], unique=False)
    with op.batch_alter_table('sale_voids', schema=None) as batch_op:
        batch_op.create_index('ix_sale_voids_created_at', ['created_at'], unique=False)
    _create_sales_daily()


def _local_day(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(({column} AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE)"
    return f"date({column}, '+7 hours')"


def _create_sales_daily():
    op.create_table('sales_daily',
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('revenue', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('sales_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_sales_daily_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sales_daily_user_id_users')),
    sa.PrimaryKeyConstraint('store_id', 'day', 'user_id', name=op.f('pk_sales_daily'))
    )
    op.execute(f"""
        INSERT INTO sales_daily (store_id, day, user_id, quantity, revenue, cost, sales_count)
        SELECT store_id, day, user_id, SUM(quantity), SUM(revenue), SUM(cost), SUM(sales_count) FROM (
          SELECT s.store_id AS store_id, {_local_day('s.created_at')} AS day, s.user_id AS user_id,
                 (SELECT COALESCE(SUM(l.quantity * l.unit_factor), 0) FROM sale_lines l WHERE l.sale_id = s.id)
                   AS quantity,
                 s.total AS revenue,
                 (SELECT COALESCE(SUM(a.quantity * a.unit_cost), 0) FROM sale_allocations a
                    JOIN sale_lines l ON l.id = a.sale_line_id WHERE l.sale_id = s.id) AS cost,
                 1 AS sales_count
          FROM sales s
          UNION ALL
          SELECT s.store_id, {_local_day('v.created_at')}, s.user_id,
                 -(SELECT COALESCE(SUM(l.quantity * l.unit_factor - l.returned_base_quantity), 0)
                   FROM sale_lines l WHERE l.sale_id = s.id),
                 -(s.total - (SELECT COALESCE(SUM(r.refund_total), 0) FROM customer_returns r
                              WHERE r.sale_id = s.id)),
                 -(SELECT COALESCE(SUM((a.quantity - a.returned_quantity) * a.unit_cost), 0)
                   FROM sale_allocations a JOIN sale_lines l ON l.id = a.sale_line_id WHERE l.sale_id = s.id),
                 -1
          FROM sale_voids v JOIN sales s ON s.id = v.sale_id
          UNION ALL
          SELECT s.store_id, {_local_day('r.created_at')}, s.user_id,
                 -(SELECT COALESCE(SUM(rl.base_quantity), 0) FROM return_lines rl WHERE rl.return_id = r.id),
                 -r.refund_total,
                 -(SELECT COALESCE(SUM(rl.base_quantity * a.unit_cost), 0) FROM return_lines rl
                   JOIN sale_allocations a ON a.id = rl.sale_allocation_id WHERE rl.return_id = r.id),
                 0
          FROM customer_returns r JOIN sales s ON s.id = r.sale_id
        ) AS events
        GROUP BY store_id, day, user_id
    """)


def downgrade():
    op.drop_table('sales_daily')
    with op.batch_alter_table('sale_voids', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_voids_created_at')
    with op.batch_alter_table('customer_returns', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_returns_created_at')
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.drop_index('ix_movements_store_created')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('licensed_pharmacist')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('pharmacists_see_cost')
    with op.batch_alter_table('sale_allocations', schema=None) as batch_op:
        batch_op.drop_column('unit_cost')
