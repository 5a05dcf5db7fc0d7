"""A sale paid by bank transfer: awaiting payment with a VietQR, settled by the bank feed (replay-safe, keyed),
by another method, or voided; what the feed cannot settle waits on the reconciliation list. Its national message
is written only once it is paid."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.payments.test_vietqr import decode

KEY = "bank-feed-key-1"


@pytest.fixture
def bank(shop, app):
    app.config["BANK_WEBHOOK_KEY"] = KEY
    response = shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json={
        "bank_bin": "970436", "bank_account": "0011004455667", "bank_account_name": "NHA THUOC AN KHANG"})
    assert response.status_code == 200 and response.json["bank_bin"] == "970436", response.json
    return shop


def transfer_sale(shop, quantity=3):
    response = shop["pharmacist"].post("/api/v1/sales", json={
        "store_id": shop["store"], "payment_method": "bank_transfer",
        "lines": [{"product_id": shop["product"], "unit": "Viên", "quantity": quantity}]})
    assert response.status_code == 201, response.json
    return response.json


def notify(app, body, key=KEY):
    headers = {"Authorization": f"Apikey {key}"} if key is not None else {}
    return app.test_client().post("/api/v1/payments/bank-notifications", json=body, headers=headers)


def feed(notification_id, content, amount, **extra):
    return {"id": notification_id, "gateway": "Vietcombank", "transactionDate": "2026-11-25 20:01:02",
            "accountNumber": "0011004455667", "content": content, "transferType": "in",
            "transferAmount": amount, "referenceCode": "FT2633", **extra}


def national_messages(app, sale_id):
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.document_type == "sale", OutboxMessage.document_id == sale_id))


def test_a_transfer_sale_waits_with_a_vietqr_for_its_exact_total(bank, app):
    sale = transfer_sale(bank)
    payment = sale["payment"]
    assert payment["status"] == "awaiting_payment" and sale["total"] == 1500
    fields = decode(payment["vietqr"])
    assert fields["54"] == "1500" and fields["62"]["08"] == payment["memo"]
    assert fields["38"]["01"] == {"00": "970436", "01": "0011004455667"}
    assert national_messages(app, sale["id"]) == 0, "the national invoice waits until the sale is paid"


def test_the_bank_feed_pays_it_once_even_when_replayed(bank, app):
    sale = transfer_sale(bank)
    content = f"MBVCB.5512.{sale['payment']['memo']}0912.CT tu 0123456"
    first = notify(app, feed(9001, content, 1500))
    assert first.status_code == 200 and first.json == {"success": True}
    paid = bank["pharmacist"].get(f"/api/v1/sales/{sale['id']}").json
    assert paid["payment"]["status"] == "paid" and paid["payment"]["paid_at"]
    assert national_messages(app, sale["id"]) == 1
    again = notify(app, feed(9001, content, 1500))
    assert again.status_code == 200 and again.json == {"success": True}
    assert national_messages(app, sale["id"]) == 1
    assert bank["owner"].get("/api/v1/payments/reconciliation").json["total"] == 0
    settled = bank["owner"].get("/api/v1/payments/reconciliation", query_string={"outcome": "paid"}).json
    assert settled["total"] == 1 and settled["items"][0]["sale_id"] == sale["id"]


@pytest.mark.parametrize("key", [None, "wrong", KEY + "x", ""])
def test_a_wrong_or_missing_key_is_refused_and_pays_nothing(bank, app, key):
    sale = transfer_sale(bank)
    response = notify(app, feed(1, sale["payment"]["memo"], 1500), key=key)
    assert response.status_code == 401 and "Authorization" in response.json["errors"]
    assert bank["pharmacist"].get(f"/api/v1/sales/{sale['id']}").json["payment"]["status"] == "awaiting_payment"
    bad_body = notify(app, {"id": 2}, key=key)
    assert bad_body.status_code == 401


def test_without_a_configured_key_every_key_is_refused(shop, app):
    app.config["BANK_WEBHOOK_KEY"] = None
    for key in ("anything", "", None):
        response = notify(app, feed(1, "x", 1), key=key)
        assert response.status_code == 401 and "BANK_WEBHOOK_KEY" in response.json["message"]


def test_wrong_amount_unknown_memo_and_late_payments_go_to_reconciliation(bank, app):
    sale = transfer_sale(bank)
    memo = sale["payment"]["memo"]
    assert notify(app, feed(1, memo, 1000)).status_code == 200
    assert bank["pharmacist"].get(f"/api/v1/sales/{sale['id']}").json["payment"]["status"] == "awaiting_payment"
    assert notify(app, feed(2, "chuyen tien an trua", 50000)).status_code == 200
    assert notify(app, feed(3, memo, 1500)).status_code == 200
    assert notify(app, feed(4, memo, 1500)).status_code == 200  # paid twice: the second one is late
    listed = bank["owner"].get("/api/v1/payments/reconciliation").json
    assert [(row["notification_id"], row["outcome"]) for row in listed["items"]] == [
        ("4", "late"), ("2", "unknown_memo"), ("1", "wrong_amount")]
    assert listed["items"][2]["expected_amount"] == 1500 and listed["items"][2]["amount"] == 1000
    mine = bank["pharmacist"].get("/api/v1/payments/reconciliation").json
    assert {row["notification_id"] for row in mine["items"]} == {"4", "1"}, "unknown memos are the owner's"


@pytest.mark.parametrize("body, field", [
    ({"content": "x", "transferAmount": 1}, "id"),
    ({"id": 5, "content": "x"}, "transferAmount"),
    ({"id": 5, "transferAmount": "1500"}, "transferAmount"),
    ({"id": 5, "transferAmount": 15, "transferType": "sideways"}, "transferType"),
])
def test_a_malformed_notification_is_a_422_naming_the_field(bank, app, body, field):
    response = notify(app, body)
    assert response.status_code == 422 and field in response.json["errors"], response.json


def test_paid_another_way_instead(bank, app):
    sale = transfer_sale(bank)
    short = bank["pharmacist"].post(f"/api/v1/sales/{sale['id']}/payment",
                                    json={"payment_method": "cash", "amount_tendered": 1000})
    assert short.status_code == 422 and "amount_tendered" in short.json["errors"]
    paid = bank["pharmacist"].post(f"/api/v1/sales/{sale['id']}/payment",
                                   json={"payment_method": "cash", "amount_tendered": 2000})
    assert paid.status_code == 200, paid.json
    assert paid.json["payment_method"] == "cash" and paid.json["change"] == 500
    assert paid.json["payment"]["status"] == "paid" and national_messages(app, sale["id"]) == 1
    twice = bank["pharmacist"].post(f"/api/v1/sales/{sale['id']}/payment", json={"payment_method": "card"})
    assert twice.status_code == 409
    assert notify(app, feed(7, sale["payment"]["memo"], 1500)).status_code == 200
    assert bank["owner"].get("/api/v1/payments/reconciliation").json["items"][0]["outcome"] == "late"


def test_a_voided_transfer_sale_never_reaches_the_national_system(bank, app):
    sale = transfer_sale(bank)
    voided = bank["pharmacist"].post(f"/api/v1/sales/{sale['id']}/void", json={"reason": "Khách bỏ đi"})
    assert voided.status_code in (200, 201), voided.json
    assert notify(app, feed(8, sale["payment"]["memo"], 1500)).status_code == 200
    assert bank["owner"].get("/api/v1/payments/reconciliation").json["items"][0]["outcome"] == "late"
    assert national_messages(app, sale["id"]) == 0
    settle = bank["pharmacist"].post(f"/api/v1/sales/{sale['id']}/payment", json={"payment_method": "card"})
    assert settle.status_code == 409


def test_a_store_without_a_bank_account_refuses_transfers(shop):
    response = shop["pharmacist"].post("/api/v1/sales", json={
        "store_id": shop["store"], "payment_method": "bank_transfer",
        "lines": [{"product_id": shop["product"], "unit": "Viên", "quantity": 1}]})
    assert response.status_code == 422 and "payment_method" in response.json["errors"]
    assert shop["pharmacist"].get("/api/v1/sales").json["total"] == 0
    bad = shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json={"bank_bin": "97"})
    assert bad.status_code == 422 and "bank_bin" in bad.json["errors"]
    half = shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json={"bank_bin": "970436"})
    assert half.status_code == 422 and "bank_account" in half.json["errors"]


def test_marking_a_transfer_received_by_hand_needs_an_owner_and_is_kept(bank, app):
    sale = transfer_sale(bank)
    url = f"/api/v1/sales/{sale['id']}/payment"
    alone = bank["pharmacist"].post(url, json={"payment_method": "bank_transfer"})
    assert alone.status_code == 403 and "approval" in alone.json["errors"]
    wrong = bank["pharmacist"].post(url, json={"payment_method": "bank_transfer",
                                               "approval": {"username": "owner", "password": "nope-nope"}})
    assert wrong.status_code == 422 and "approval" in wrong.json["errors"]
    assert bank["pharmacist"].get(f"/api/v1/sales/{sale['id']}").json["payment"]["status"] == "awaiting_payment"
    done = bank["pharmacist"].post(url, json={"payment_method": "bank_transfer",
                                              "approval": {"username": "owner", "password": "secret-pass-1"}})
    assert done.status_code == 200 and done.json["payment"]["status"] == "paid"
    assert national_messages(app, sale["id"]) == 1

    from pharmacy.extensions import db
    from pharmacy.sales.models import Sale
    from pharmacy.stores.models import User

    with app.app_context():
        confirmed = db.session.get(Sale, sale["id"]).payment_confirmed_by_id
        assert db.session.get(User, confirmed).username == "owner"



def test_the_reconciliation_page_lists_what_the_feed_could_not_settle(bank, app):
    from tests.security.conftest import signed_in

    sale = transfer_sale(bank)
    notify(app, feed(31, sale["payment"]["memo"], 999))
    notify(app, feed(32, "tien nha", 5000))
    owner_page = signed_in(app, "owner").get("/payments/reconciliation").get_data(as_text=True)
    assert "Sai số tiền" in owner_page and "Nội dung không khớp hóa đơn nào" in owner_page
    mine = signed_in(app, "ds1").get("/payments/reconciliation").get_data(as_text=True)
    assert "Sai số tiền" in mine and "tien nha" not in mine


def test_the_qr_drawn_for_the_counter_reads_back_as_the_payload(bank, app):
    import io

    import segno
    import zxingcpp
    from PIL import Image

    from tests.security.conftest import signed_in

    sale = transfer_sale(bank)
    svg = signed_in(app, "ds1").get(f"/sales/{sale['id']}/vietqr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = io.BytesIO()
    segno.make(sale["payment"]["vietqr"], error="m", micro=False).save(png, kind="png", scale=6, border=4)
    [read] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))
    assert read.text == sale["payment"]["vietqr"] and decode(read.text)["54"] == "1500"
    cash = bank["pharmacist"].post("/api/v1/sales", json={"store_id": bank["store"], "lines": [
        {"product_id": bank["product"], "unit": "Viên", "quantity": 1}]}).json
    assert signed_in(app, "ds1").get(f"/sales/{cash['id']}/vietqr.svg").status_code == 404
