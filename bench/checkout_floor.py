"""The floor for a checkout: the same reads, inserts and updates as record_sale, as hand-written SQL."""
from __future__ import annotations

from sqlalchemy import text

from pharmacy.clock import local_date, utcnow

SQL = {
    "number": "UPDATE document_counters SET last_value = last_value + 1 "
              "WHERE store_id = :store AND series = 'HD' RETURNING last_value",
    "unit": "SELECT u.factor, u.price FROM product_units u WHERE u.product_id = :product AND u.name = :unit",
    "sale": "INSERT INTO sales (store_id, number, customer_name, payment_method, total, user_id, created_at) "
            "VALUES (:store, :number, '', 'cash', :total, :user, :now) RETURNING id",
    "lots": "SELECT id, lot, expiry, quantity FROM stock_lots WHERE store_id = :store AND product_id = :product "
            "ORDER BY expiry, id",
    "take": "UPDATE stock_lots SET quantity = quantity - :n WHERE id = :id AND quantity >= :n",
    "line": "INSERT INTO sale_lines (sale_id, product_id, unit_name, unit_factor, quantity, unit_price, amount, "
            "returned_base_quantity) VALUES (:sale, :product, :unit, :factor, :quantity, :price, :amount, 0) "
            "RETURNING id",
    "allocation": "INSERT INTO sale_allocations (sale_line_id, stock_lot_id, lot, expiry, quantity, "
                  "returned_quantity) VALUES (:line, :lot_id, :lot, :expiry, :n, 0)",
    "movement": "INSERT INTO movements (stock_lot_id, store_id, product_id, quantity, kind, document_type, "
                "document_id, user_id, created_at) VALUES (:lot_id, :store, :product, :delta, 'sale', 'sale', "
                ":sale, :user, :now)",
    "outbox": "INSERT INTO outbox_messages (target, kind, store_id, document_type, document_id, document_number, "
              "idempotency_key, status, attempts, next_attempt_at, outcome_unknown, created_at, updated_at) "
              "VALUES ('national_drug_db', 'sale', :store, 'sale', :sale, :number, :key, 'pending', 0, :now, "
              "false, :now, :now)",
}


def raw_checkout(conn, store: int, user: int, lines: list[dict], _index: int) -> None:
    """One sale in one transaction: number, lines, FEFO lot (first unexpired lot with enough), ledger, outbox."""
    now = utcnow()
    today = local_date(now)
    lock = " FOR UPDATE" if conn.dialect.name == "postgresql" else ""
    with conn.begin():
        number = f"HD-BENCH-{conn.execute(text(SQL['number']), {'store': store}).scalar():06d}"
        priced = [(line, *conn.execute(text(SQL["unit"]), {"product": line["product_id"], "unit": line["unit"]}).one())
                  for line in lines]
        total = sum(line["quantity"] * price for line, _factor, price in priced)
        sale = conn.execute(text(SQL["sale"]), {"store": store, "number": number, "total": total, "user": user,
                                                "now": now}).scalar()
        for line, factor, price in priced:
            product, needed = line["product_id"], line["quantity"] * factor
            lots = conn.execute(text(SQL["lots"] + lock), {"store": store, "product": product}).all()
            lot = next(row for row in lots if str(row.expiry) >= today.isoformat() and row.quantity >= needed)
            conn.execute(text(SQL["take"]), {"n": needed, "id": lot.id})
            line_id = conn.execute(text(SQL["line"]), {
                "sale": sale, "product": product, "unit": line["unit"], "factor": factor,
                "quantity": line["quantity"], "price": price, "amount": line["quantity"] * price}).scalar()
            conn.execute(text(SQL["allocation"]), {"line": line_id, "lot_id": lot.id, "lot": lot.lot,
                                                   "expiry": lot.expiry, "n": needed})
            conn.execute(text(SQL["movement"]), {"lot_id": lot.id, "store": store, "product": product,
                                                 "delta": -needed, "sale": sale, "user": user, "now": now})
        conn.execute(text(SQL["outbox"]), {"store": store, "sale": sale, "number": number,
                                           "key": f"national_drug_db:sale:{number}", "now": now})
