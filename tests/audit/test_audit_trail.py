"""The audit trail: who, when, from where and what (before → after) of writes through the API and the console."""
from __future__ import annotations

from datetime import date, timedelta


def entries(api, **query):
    response = api.get("/api/v1/audit", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_product_price_edit_records_before_and_after_with_user_and_ip(shop):
    owner = shop["owner"]
    product = owner.get(f"/api/v1/products/{shop['product']}").json
    units = [{**{k: u[k] for k in ("name", "factor", "price")}} for u in product["units"]]
    units[0]["price"] = 700
    response = owner.patch(f"/api/v1/products/{shop['product']}", json={"units": units, "name": "Para 500"})
    assert response.status_code == 200, response.json
    page = entries(owner, entity="product_units")
    priced = [e for e in page["items"] if "price" in (e["changes"] or {})]
    assert priced and priced[0]["changes"]["price"] == [500, 700]
    assert priced[0]["username"] == "owner" and priced[0]["source"] == "127.0.0.1"
    assert priced[0]["action"] == f"PATCH /api/v1/products/{shop['product']}"
    renamed = entries(owner, entity="products")["items"][0]
    assert renamed["operation"] == "update" and renamed["changes"]["name"] == ["Paracetamol 500mg", "Para 500"]


def test_sale_is_one_entry_naming_the_document(shop):
    response = shop["pharmacist"].post("/api/v1/sales", json={"store_id": shop["store"], "lines": [
        {"product_id": shop["product"], "unit": "Viên", "quantity": 1}]})
    assert response.status_code == 201
    page = entries(shop["owner"], entity="sale", user="ds1")
    assert page["total"] == 1
    assert page["items"][0]["label"] == response.json["number"]
    assert page["items"][0]["entity_id"] == str(response.json["id"])


def test_store_and_user_edits_hide_secrets(shop):
    owner = shop["owner"]
    assert owner.patch(f"/api/v1/stores/{shop['store']}", json={"name": "Nhà thuốc Mới",
                                                               "national_password": "pw-123456"}).status_code == 200
    store_entry = entries(owner, entity="stores")["items"][0]
    assert store_entry["changes"]["name"] == ["Nhà thuốc CH01", "Nhà thuốc Mới"]
    assert store_entry["changes"]["national_password_encrypted"][1] == "***"


def test_minimum_change_is_recorded(shop):
    owner = shop["owner"]
    body = {"store_id": shop["store"], "product_id": shop["product"], "min_quantity": 30}
    assert owner.put("/api/v1/stock/minimums", json=body).status_code == 200
    assert owner.put("/api/v1/stock/minimums", json={**body, "min_quantity": 40}).status_code == 200
    newest = entries(owner, entity="stock_settings")["items"][0]
    assert newest["operation"] == "update" and newest["changes"]["min_quantity"] == [30, 40]


def test_console_writes_are_recorded_as_cli(app, shop):
    result = app.test_cli_runner().invoke(args=["users", "create", "ds9", "--password", "secret-pass-9",
                                                "--role", "pharmacist", "--store", "CH01"])
    assert result.exit_code == 0, result.output
    item = entries(shop["owner"], entity="users")["items"][0]
    assert item["source"] == "cli" and item["action"].endswith("users create")
    assert item["changes"]["username"] == [None, "ds9"] and item["changes"]["password_hash"][1] == "***"


def test_filters_pagination_and_owner_only(shop):
    owner = shop["owner"]
    assert shop["pharmacist"].get("/api/v1/audit").status_code == 403
    page = entries(owner, per_page=2)
    assert page["per_page"] == 2 and len(page["items"]) <= 2 and page["total"] >= 3
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert entries(owner, date_from=tomorrow)["total"] == 0
    bad = owner.get("/api/v1/audit", query_string={"date_from": "2026-02-30"})
    assert bad.status_code == 422 and "date_from" in bad.json["errors"]
    reversed_range = owner.get("/api/v1/audit", query_string={"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert reversed_range.status_code == 422 and "date_to" in reversed_range.json["errors"]


def test_verification_through_the_api(shop):
    owner = shop["owner"]
    assert owner.get("/api/v1/audit/verification").status_code == 404
    run = owner.post("/api/v1/audit/verification")
    assert run.status_code == 201 and run.json["ok"] is True and run.json["entries"] == 3
    assert owner.get("/api/v1/audit/verification").json["ok"] is True
    assert shop["pharmacist"].post("/api/v1/audit/verification").status_code == 403


def test_a_write_outside_any_document_names_every_table_it_wrote_with_clauses_included(app, shop):
    """On PostgreSQL a lot's guarded update carries its ledger rows in a WITH (stock/services.py): the trail still
    names both tables when no document or edited record speaks for the transaction."""
    from sqlalchemy import select

    from pharmacy.audit.models import AuditEntry
    from pharmacy.clock import utcnow
    from pharmacy.extensions import db
    from pharmacy.stock.models import StockLot
    from pharmacy.stock.services import DocumentRef, take_lots
    from pharmacy.stores.models import User

    with app.app_context():
        lot = db.session.scalars(select(StockLot).where(StockLot.quantity > 0)).first()
        actor = db.session.scalars(select(User).where(User.username == "ds1")).one()
        take_lots(db.session, [(lot, 1)], kind="adjustment", document=DocumentRef("count", 0), actor=actor,
                  now=utcnow())
        db.session.commit()
        written = set(db.session.scalars(select(AuditEntry.entity).where(AuditEntry.operation == "write")))
    assert {"stock_lots", "movements"} <= written
