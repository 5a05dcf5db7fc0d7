"""Bulk data for the owner's benchmark, written by PostgreSQL itself (generate_series) so a year of a chain's
sales loads in minutes: stores, a catalogue, lots per store with a receipt each, a year of sales (one FEFO
allocation and one ledger movement per line), 1% of sales voided, minimums and waiting outbox messages.
On-hand quantities are then set from the ledger, so the ledger invariant holds as in production, and the daily
sales totals are recomputed from the documents."""
from __future__ import annotations

from sqlalchemy import text

LINES_PER_SALE = 3


def build_chain(session, *, stores: int, products: int, lots_per_product: int, sale_lines: int,
                receipt_quantity: int = 400) -> dict:
    from pharmacy.stores.services import create_user, save_store

    store_ids = [save_store(session, {"code": f"CH{i:03d}", "name": f"Nhà thuốc {i}"}, None).id
                 for i in range(1, stores + 1)]
    owner = create_user(session, username="owner", password="bench-pass-1", role="owner")
    for store_id in store_ids:
        create_user(session, username=f"ds{store_id:03d}", password="bench-pass-1", role="pharmacist",
                    store_ids=[store_id])
    session.flush()
    params = {"products": products, "lots": lots_per_product, "stores": stores, "sales": sale_lines // LINES_PER_SALE,
              "per_sale": LINES_PER_SALE, "owner": owner.id, "received": receipt_quantity}
    for statement in STATEMENTS:
        session.execute(text(statement), params)
    from pharmacy.sales.daily import rebuild_sales_daily

    rebuild_sales_daily(session)  # the daily totals a live chain keeps with each document
    session.commit()
    with session.get_bind().connect() as conn:  # as autovacuum does after a bulk load: statistics and the
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")  # visibility map
    return {"store_ids": store_ids, "owner_id": owner.id}


STATEMENTS = [
    """INSERT INTO products (name, active_ingredient, strength, dosage_form, route, registration_no, manufacturer,
           country, dosage, prescription_only, special_control_type, active, search_text, created_at, updated_at)
       SELECT 'Thuốc số ' || g, 'Hoạt chất ' || (g % 300), '500mg', 'Viên nén', 'Uống', 'VD-' || g, 'NSX',
              'Việt Nam', '', false, 0, true, 'thuoc so ' || g || ' hoat chat ' || (g % 300), now(), now()
       FROM generate_series(1, :products) AS g""",
    """INSERT INTO product_units (product_id, name, factor, is_base, price)
       SELECT id, 'Viên', 1, true, 500 + (id % 50) * 100 FROM products""",
    # lot k of product p in store s has id ((s-1)·P + (p-1))·L + k on a fresh schema
    """INSERT INTO stock_lots (store_id, product_id, lot, expiry, quantity, unit_cost)
       SELECT s.id, p.id, 'L' || k, CURRENT_DATE + ((p.id * 7 + k * 131 + s.id * 17) % 780 - 60),
              0, 300 + (p.id % 50) * 80 + k * 5
       FROM stores s CROSS JOIN products p CROSS JOIN generate_series(1, :lots) AS k
       ORDER BY s.id, p.id, k""",
    """INSERT INTO movements (stock_lot_id, store_id, product_id, quantity, kind, document_type, document_id,
           user_id, created_at)
       SELECT id, store_id, product_id, :received, 'receipt', 'receipt', id, :owner,
              now() - interval '366 days'
       FROM stock_lots""",
    """INSERT INTO sales (store_id, number, customer_name, payment_method, total, user_id, created_at)
       SELECT 1 + (g % :stores), 'HD-' || g, '', 'cash', 0, :owner,
              now() - (random() * interval '365 days')
       FROM generate_series(1, :sales) AS g""",
    """UPDATE sales SET user_id = us.user_id FROM user_stores us WHERE us.store_id = sales.store_id""",
    """INSERT INTO sale_lines (sale_id, product_id, unit_name, unit_factor, quantity, unit_price, amount,
           returned_base_quantity)
       SELECT s.id, 1 + floor(random() * :products)::int, 'Viên', 1, q, 0, 0, 0
       FROM sales s CROSS JOIN generate_series(1, :per_sale) AS n
            CROSS JOIN LATERAL (SELECT 1 + floor(random() * 3)::int + n * 0 AS q) AS qty""",
    """UPDATE sale_lines SET unit_price = u.price, amount = u.price * sale_lines.quantity
       FROM product_units u WHERE u.product_id = sale_lines.product_id""",
    """UPDATE sales SET total = t.total
       FROM (SELECT sale_id, sum(amount) AS total FROM sale_lines GROUP BY sale_id) AS t WHERE t.sale_id = sales.id""",
    """INSERT INTO sale_allocations (sale_line_id, stock_lot_id, lot, expiry, quantity, returned_quantity, unit_cost)
       SELECT l.id, lot.id, lot.lot, lot.expiry, l.quantity, 0, lot.unit_cost
       FROM sale_lines l JOIN sales s ON s.id = l.sale_id
            JOIN stock_lots lot ON lot.id = ((s.store_id - 1) * :products + (l.product_id - 1)) * :lots
                                            + 1 + (l.id % :lots)""",
    """INSERT INTO movements (stock_lot_id, store_id, product_id, quantity, kind, document_type, document_id,
           user_id, created_at)
       SELECT a.stock_lot_id, s.store_id, l.product_id, -a.quantity, 'sale', 'sale', s.id, s.user_id, s.created_at
       FROM sale_allocations a JOIN sale_lines l ON l.id = a.sale_line_id JOIN sales s ON s.id = l.sale_id""",
    """INSERT INTO sale_voids (sale_id, store_id, number, reason, user_id, created_at)
       SELECT id, store_id, 'HUY-' || id, 'Khách đổi ý', :owner, created_at + interval '2 hours'
       FROM sales WHERE id % 100 = 0""",
    """INSERT INTO movements (stock_lot_id, store_id, product_id, quantity, kind, document_type, document_id,
           user_id, created_at)
       SELECT a.stock_lot_id, v.store_id, l.product_id, a.quantity, 'void', 'sale_void', v.id, v.user_id,
              v.created_at
       FROM sale_voids v JOIN sale_lines l ON l.sale_id = v.sale_id JOIN sale_allocations a ON a.sale_line_id = l.id""",
    """UPDATE stock_lots SET quantity = m.total
       FROM (SELECT stock_lot_id, sum(quantity) AS total FROM movements GROUP BY stock_lot_id) AS m
       WHERE m.stock_lot_id = stock_lots.id""",
    """INSERT INTO stock_settings (store_id, product_id, min_quantity)
       SELECT s.id, p.id, 2000 FROM stores s CROSS JOIN products p WHERE p.id % 10 = 0""",
    """INSERT INTO outbox_messages (target, kind, store_id, document_type, document_id, document_number,
           idempotency_key, status, attempts, next_attempt_at, outcome_unknown, created_at, updated_at)
       SELECT 'national_drug_db', 'sale', store_id, 'sale', id, number, 'national_drug_db:sale:' || number,
              CASE WHEN id % 50 = 0 THEN 'rejected' WHEN id % 70 = 0 THEN 'held' ELSE 'pending' END, 0,
              created_at, false, created_at, created_at
       FROM sales WHERE created_at > now() - interval '2 days'""",
]
