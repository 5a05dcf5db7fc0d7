"""the daily sales totals keep the discounts given (reports show gross, discount and net)

Revision ID: e7d3f4a5b6c8
Revises: f7a1b2c3d4e5
Create Date: 2026-11-25 21:55:00

Existing rows get their discounts from the documents (a frozen copy of the rules in pharmacy/sales/daily.py: a sale
adds its lines' discounts on its local day; a return takes back each line's pro rata, rounded down, on its day; a
void takes back what the returns left, on its day).
"""
import sqlalchemy as sa
from alembic import op

revision = 'e7d3f4a5b6c8'
down_revision = 'f7a1b2c3d4e5'
branch_labels = None
depends_on = None

LINE = "(l.discount_amount + l.cart_discount_share)"
PIECE = f"({LINE} * rl.base_quantity / (l.quantity * l.unit_factor))"


def _local_day(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(({column} AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE)"
    return f"date({column}, '+7 hours')"


def upgrade():
    with op.batch_alter_table('sales_daily', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discount', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute(f"""
        UPDATE sales_daily SET discount = COALESCE((
          SELECT SUM(events.discount) FROM (
            SELECT s.store_id AS store_id, {_local_day('s.created_at')} AS day, s.user_id AS user_id,
                   (SELECT COALESCE(SUM({LINE}), 0) FROM sale_lines l WHERE l.sale_id = s.id) AS discount
            FROM sales s
            UNION ALL
            SELECT s.store_id, {_local_day('v.created_at')}, s.user_id,
                   -((SELECT COALESCE(SUM({LINE}), 0) FROM sale_lines l WHERE l.sale_id = s.id)
                     - (SELECT COALESCE(SUM({PIECE}), 0) FROM return_lines rl
                        JOIN sale_lines l ON l.id = rl.sale_line_id WHERE l.sale_id = s.id))
            FROM sale_voids v JOIN sales s ON s.id = v.sale_id
            UNION ALL
            SELECT s.store_id, {_local_day('r.created_at')}, s.user_id,
                   -(SELECT COALESCE(SUM({PIECE}), 0) FROM return_lines rl
                     JOIN sale_lines l ON l.id = rl.sale_line_id WHERE rl.return_id = r.id)
            FROM customer_returns r JOIN sales s ON s.id = r.sale_id
          ) AS events
          WHERE events.store_id = sales_daily.store_id AND events.day = sales_daily.day
            AND events.user_id = sales_daily.user_id), 0)
    """)


def downgrade():
    with op.batch_alter_table('sales_daily', schema=None) as batch_op:
        batch_op.drop_column('discount')
