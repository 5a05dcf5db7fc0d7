"""insert_family (pharmacy/models_base.py): a document's rows, table by table, in one statement on PostgreSQL. Each row
below the first must name its own parent's new id, and the objects returned must hold what the database holds."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select


def test_rows_name_their_own_parents_and_the_objects_hold_what_was_stored(app, books):
    from pharmacy.extensions import db
    from pharmacy.models_base import Level, insert_family
    from pharmacy.sales.models import Sale, SaleAllocation, SaleLine
    from pharmacy.stock.models import StockLot

    store = books.store("CH01")
    user = books.user("ds1", stores=[store])
    products = [books.product(f"Thuốc {index}", national_code=f"TQG90000{index}") for index in range(2)]
    expiry = date.today() + timedelta(days=90)
    with app.app_context():
        lots = [StockLot(store_id=store, product_id=products[index % 2], lot=f"L{index}", expiry=expiry, quantity=50)
                for index in range(3)]
        db.session.add_all(lots)
        db.session.flush()
        now = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
        line = {"unit_name": "Viên", "unit_factor": 1, "unit_price": 500, "directions": None}
        [sale], lines, allocations = insert_family(db.session, [
            Level(Sale, [{"store_id": store, "number": "~HD-test", "user_id": user, "created_at": now, "total": 3000,
                          "customer_name": 'Bà "Tư"'}]),
            Level(SaleLine, [{**line, "product_id": products[1], "quantity": 4, "amount": 2000},
                             {**line, "product_id": products[0], "quantity": 2, "amount": 1000}], "sale_id", [0, 0]),
            Level(SaleAllocation, [  # out of their lines' order: each must still reach its own line
                {"stock_lot_id": lots[1].id, "lot": "L1", "expiry": expiry, "quantity": 3},
                {"stock_lot_id": lots[0].id, "lot": "L0", "expiry": expiry, "quantity": 2},
                {"stock_lot_id": lots[2].id, "lot": "L2", "expiry": expiry, "quantity": 1}], "sale_line_id", [0, 1, 0]),
        ])
        assert [obj.sale_id for obj in lines] == [sale.id, sale.id]
        assert [obj.sale_line_id for obj in allocations] == [lines[0].id, lines[1].id, lines[0].id]
        assert sale.payment_status == "paid" and sale.discount_amount == 0  # the columns' plain defaults
        made = [(type(obj), {column.key: getattr(obj, column.key) for column in obj.__table__.c})
                for obj in (sale, *lines, *allocations)]
        first_line = lines[0].id
        db.session.commit()
        db.session.expunge_all()
        for model, values in made:
            stored = db.session.get(model, values["id"])
            assert {key: getattr(stored, key) for key in values} == values, model.__name__
        assert db.session.scalars(select(SaleAllocation.lot).where(SaleAllocation.sale_line_id == first_line)
                                  .order_by(SaleAllocation.id)).all() == ["L1", "L2"]
