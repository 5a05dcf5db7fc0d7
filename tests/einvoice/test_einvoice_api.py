"""The sale API: buyer details at the counter, the `einvoice` block of GET /api/v1/sales/{id}."""
from __future__ import annotations

from sqlalchemy import func, select

from .test_einvoice_settings import ON


def _sale(api, store, product, **extra):
    return api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 2}], **extra})


def test_einvoice_is_null_when_the_store_has_einvoices_off(shop):
    response = _sale(shop["pharmacist"], shop["store"], shop["product"])
    assert response.status_code == 201, response.json
    assert response.json["einvoice"] is None
    refused = _sale(shop["pharmacist"], shop["store"], shop["product"], buyer={"name": "Nguyễn Văn A"})
    assert refused.status_code == 409 and "buyer" in str(refused.json)


def test_a_sale_queues_its_einvoice_with_the_buyer_the_customer_asked_for(app, shop):
    assert shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json=ON).status_code == 200
    buyer = {"tax_code": "0109876543", "name": "Công ty TNHH Minh An", "address": "5 Hàng Bài, Hà Nội",
             "email": "ketoan@minhan.vn"}
    response = _sale(shop["pharmacist"], shop["store"], shop["product"], buyer=buyer)
    assert response.status_code == 201, response.json
    einvoice = response.json["einvoice"]
    assert einvoice == {"status": "pending", "symbol": "C25MAA", "template": "1", "number": None, "mtt_code": None,
                        "lookup_code": None, "issued_at": None, "buyer": buyer, "corrections": []}
    walk_in = _sale(shop["pharmacist"], shop["store"], shop["product"])
    got = shop["pharmacist"].get(f"/api/v1/sales/{walk_in.json['id']}").json["einvoice"]
    assert got["buyer"] is None and got["status"] == "pending"
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        queued = db.session.execute(select(func.count()).select_from(OutboxMessage)
                                    .where(OutboxMessage.target == "einvoice")).scalar_one()
        assert queued == 2
        db.session.rollback()


def test_bad_buyer_details_name_their_field_and_record_no_sale(app, shop):
    shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json=ON)
    cases = [({"tax_code": "12345"}, "buyer.tax_code"), ({"tax_code": "0109876543"}, "buyer.name"),
             ({"id_number": "0123"}, "buyer.id_number"), ({"email": "not-an-email"}, "buyer.email"),
             ({"phone": "12345"}, "buyer.phone")]
    for buyer, field in cases:
        response = _sale(shop["pharmacist"], shop["store"], shop["product"], buyer=buyer)
        assert response.status_code == 422, (buyer, response.json)
        assert field in str(response.json), (field, response.json)
    assert shop["owner"].get("/api/v1/sales").json["total"] == 0


def test_the_buyer_can_be_added_after_the_sale_until_the_invoice_has_gone(app, shop):
    shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json=ON)
    sale = _sale(shop["pharmacist"], shop["store"], shop["product"]).json
    url = f"/api/v1/sales/{sale['id']}/buyer"
    bad = shop["pharmacist"].put(url, json={"phone": "123"})
    assert bad.status_code == 422 and "buyer.phone" in str(bad.json)
    added = shop["pharmacist"].put(url, json={"name": "Trần Văn B", "phone": "0901234567"})
    assert added.status_code == 200 and added.json["einvoice"]["buyer"] == {"name": "Trần Văn B",
                                                                           "phone": "0901234567"}
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        message = db.session.execute(select(OutboxMessage).where(OutboxMessage.target == "einvoice")).scalar_one()
        message.status = "sent"
        db.session.commit()
    late = shop["pharmacist"].put(url, json={"name": "Khác"})
    assert late.status_code == 409 and "buyer" in str(late.json)
