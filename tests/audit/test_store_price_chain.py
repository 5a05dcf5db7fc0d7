"""A store's own prices are documents of the store's chain: a price altered, removed or put back behind the
application's back, and a change document deleted, are named by `flask audit verify`."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from .conftest import raw, verify


def set_prices(shop, *prices):
    for price in prices:
        response = shop["owner"].put(f"/api/v1/stores/{shop['store']}/prices", json={"items": [
            {"product_id": shop["product"], "unit": "Viên", "price": price}]})
        assert response.status_code == 200, response.json


@pytest.fixture
def priced(app, chained):
    set_prices(chained, 700)
    return chained


def test_each_store_price_change_is_an_entry_of_the_store_chain(app, chained):
    from pharmacy.audit.models import JournalEntry, StorePriceChange
    from pharmacy.extensions import db

    set_prices(chained, 700, 700, 800, None)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "store CH01: 9 entries OK" in result.output  # 3 receipts, 3 sales, 3 price changes (700 twice: once)
    with app.app_context():
        entries = db.session.scalars(select(JournalEntry).where(JournalEntry.kind == "store_price")
                                     .order_by(JournalEntry.seq)).all()
        assert [e.document_number for e in entries] == ["GCH-000001", "GCH-000002", "GCH-000003"]
        assert {e.store_id for e in entries} == {chained["store"]}
        changes = db.session.scalars(select(StorePriceChange).order_by(StorePriceChange.id)).all()
        assert [(c.old_price, c.new_price, c.unit_name) for c in changes] == [
            (None, 700, "Viên"), (700, 800, "Viên"), (800, None, "Viên")]
        assert all(c.user_id is not None for c in changes)


def test_a_store_price_altered_in_sql_is_named(app, priced):
    raw(app, "UPDATE store_prices SET price = 1")
    result = verify(app)
    assert result.exit_code == 1
    product = priced["product"]
    expected = f"ALTERED GCH-000001 — the store's own price of Viên of product #{product} is 1 ₫, not 700 ₫ recorded"
    assert f"store CH01: {expected} in GCH-000001" in result.output


def test_a_store_price_deleted_in_sql_is_named(app, priced):
    raw(app, "DELETE FROM store_prices")
    result = verify(app)
    assert result.exit_code == 1
    assert "DELETED GCH-000001" in result.output and "was removed" in result.output


def test_a_store_price_put_back_in_sql_after_its_removal_is_named(app, priced):
    set_prices(priced, None)
    assert verify(app).exit_code == 0
    raw(app, "INSERT INTO store_prices (store_id, product_unit_id, price, updated_at) "
             "SELECT store_id, product_unit_id, 500, created_at FROM store_price_changes WHERE id = 2")
    result = verify(app)
    assert result.exit_code == 1
    assert "ALTERED GCH-000002" in result.output
    assert "is 500 ₫, not the list price recorded in GCH-000002" in result.output


def test_a_change_document_deleted_or_rewritten_in_sql_is_named(app, priced):
    raw(app, "UPDATE store_price_changes SET old_price = 650")
    assert "ALTERED GCH-000001" in verify(app).output
    raw(app, "DELETE FROM store_price_changes")
    result = verify(app)
    assert result.exit_code == 1 and "DELETED GCH-000001" in result.output


def test_the_finding_reads_in_vietnamese_on_the_api(app, priced):
    raw(app, "UPDATE store_prices SET price = 1")
    run = priced["owner"].post("/api/v1/audit/verification").json
    assert run["message"] == (f"cửa hàng CH01: bị sửa — giá riêng của cửa hàng cho Viên của sản phẩm "
                              f"#{priced['product']} là 1 ₫, khác 700 ₫ đã ghi ở GCH-000001")


def test_a_refused_list_writes_no_change(app, chained):
    from pharmacy.audit.models import StorePriceChange
    from pharmacy.extensions import db

    response = chained["owner"].put(f"/api/v1/stores/{chained['store']}/prices", json={"items": [
        {"product_id": chained["product"], "unit": "Viên", "price": 700},
        {"product_id": chained["product"], "unit": "Thùng", "price": 1}]})
    assert response.status_code == 422 and "items[1].unit" in response.json["errors"]
    with app.app_context():
        assert db.session.scalars(select(StorePriceChange)).all() == []


def test_prices_saved_on_the_page_are_chained_with_the_owner(app, chained):
    from pharmacy.audit.models import StorePriceChange
    from pharmacy.catalog.models import ProductUnit
    from pharmacy.extensions import db
    from pharmacy.stores.models import User
    from tests.web.test_backoffice_pages import signed_in

    client = signed_in(app, "owner")
    with app.app_context():
        units = [u.id for u in db.session.scalars(select(ProductUnit).filter_by(product_id=chained["product"])
                                                  .order_by(ProductUnit.factor))]
        owner = db.session.scalars(select(User).filter_by(username="owner")).one().id
    form = {"unit_id": [str(unit) for unit in units], "price": ["750"] + [""] * (len(units) - 1),
            "csrf_token": client.csrf}
    assert client.post(f"/admin/prices?store_id={chained['store']}", data=form).status_code == 302
    with app.app_context():
        change = db.session.scalars(select(StorePriceChange)).one()
        assert (change.product_unit_id, change.old_price, change.new_price, change.user_id) == \
            (units[0], None, 750, owner)
    assert verify(app).exit_code == 0


def test_a_store_price_written_straight_into_the_database_is_named(app, chained):
    raw(app, "INSERT INTO store_prices (store_id, product_unit_id, price, updated_at) SELECT :store, id, 550, "
             "CURRENT_TIMESTAMP FROM product_units WHERE product_id = :product AND name = 'Viên'",
        store=chained["store"], product=chained["product"])
    result = verify(app)
    assert result.exit_code == 1
    assert f"INSERTED Viên #{chained['product']}" in result.output and "(550 ₫) is in no recorded change" in \
        result.output


def test_the_migration_records_the_store_prices_already_set(app, chained):
    from flask_migrate import downgrade, upgrade

    from pharmacy.audit.models import StorePriceChange
    from pharmacy.extensions import db

    with app.app_context():
        downgrade(revision="f8b2d4a6c0e3")
        db.session.execute(text("INSERT INTO store_prices (store_id, product_unit_id, price, updated_at) SELECT "
                                ":store, id, 550, CURRENT_TIMESTAMP FROM product_units WHERE product_id = :product "
                                "AND name = 'Viên'"), {"store": chained["store"], "product": chained["product"]})
        db.session.commit()
        upgrade()
        change = db.session.scalars(select(StorePriceChange)).one()
        assert (change.old_price, change.new_price, change.user_id, change.unit_name) == (None, 550, None, "Viên")
        db.session.remove()
    assert verify(app).exit_code == 0
    raw(app, "UPDATE store_prices SET price = 1")
    assert "ALTERED GCH-000001" in verify(app).output


def test_a_unit_removed_by_the_application_takes_its_store_price_without_an_alarm(app, priced):
    set_prices(priced, None)
    response = priced["owner"].put(f"/api/v1/stores/{priced['store']}/prices", json={"items": [
        {"product_id": priced["product"], "unit": "Hộp", "price": 47000}]})
    assert response.status_code == 200
    units = [{"name": "Viên", "factor": 1, "price": 500}, {"name": "Vỉ", "factor": 10, "price": 5000}]
    assert priced["owner"].patch(f"/api/v1/products/{priced['product']}", json={"units": units}).status_code == 200
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "store CH01: 9 entries OK" in result.output


def test_the_audit_page_names_a_store_price_change_in_vietnamese(app, priced):
    from tests.web.test_backoffice_pages import signed_in

    html = signed_in(app, "owner").get("/audit?entity=store_price").get_data(as_text=True)
    assert "Thay đổi giá riêng của cửa hàng GCH-000001" in html
