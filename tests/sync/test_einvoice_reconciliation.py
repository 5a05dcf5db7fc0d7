"""GET /api/v1/reconciliation: the day's sales against the e-invoices issued (by VAT rate), and the day's national
documents against what the national side confirmed; each missing one can be resent in one click."""
from __future__ import annotations

from pharmacy.clock import local_date

from .conftest import drain


def test_the_day_balances_once_every_invoice_and_document_is_through(app, einvoice_world, docs, books, sandbox,
                                                                     einvoice_sandbox, make_runner, clock):
    world = einvoice_world
    owner = books.api("owner")
    assert owner.patch(f"/api/v1/products/{world['device']}", json={"vat_rate": 8}).status_code == 200
    einvoice_sandbox.simulator.faults.push("reject", route="create")
    sandbox.simulator.faults.push("400_envelope", route="post:hoa_don")
    for _ in range(3):
        docs.sale(world["store"], [(world["drug"], "Viên", 2), (world["device"], "Viên", 1)])
    drain(app, make_runner(timeout=(1.0, 5.0)), clock)  # no hang here: a slow answer is not a fault
    url = f"/api/v1/reconciliation?store_id={world['store']}&date={local_date(clock()).isoformat()}"
    day = owner.get(url)
    assert day.status_code == 200, day.json
    einvoice, national = day.json["einvoice"], day.json["national"]
    assert einvoice["sales_count"] == 3 and einvoice["issued_count"] == 2 and not einvoice["balanced"]
    assert einvoice["by_vat_rate"] == [{"vat_rate": 5, "sales_amount": 3000, "invoiced_amount": 2000},
                                       {"vat_rate": 8, "sales_amount": 1500, "invoiced_amount": 1000}]
    [missing_invoice] = einvoice["missing"]
    assert missing_invoice["status"] == "rejected" and missing_invoice["number"] == "HD-CH01-000001"
    # the day also holds the opening receipts of `world` (two held: a drug without a national code)
    assert national["confirmed_count"] == national["local_count"] - len(national["missing"]) - len(
        national["differing"])
    [missing_document] = [item for item in national["missing"] if item["document_type"] == "sale"]
    assert missing_document["document_type"] == "sale" and missing_document["retryable"] is True
    for message_id in (missing_invoice["message_id"], missing_document["message_id"]):
        assert owner.post(f"/api/v1/sync/messages/{message_id}/retry").status_code == 200
    drain(app, make_runner(timeout=(1.0, 5.0)), clock)  # no hang here: a slow answer is not a fault
    again = owner.get(url).json
    assert again["einvoice"]["balanced"] is True and again["einvoice"]["issued_total"] == 4500
    assert [item for item in again["national"]["missing"] if item["document_type"] == "sale"] == []
    assert again["national"]["confirmed_count"] == national["confirmed_count"] + 1


def test_reconciliation_arguments_are_checked(app, einvoice_world, books):
    owner = books.api("owner")
    for query, field in (("date=2026-11-25", "store_id"), (f"store_id={einvoice_world['store']}", "date"),
                         (f"store_id={einvoice_world['store']}&date=25/11/2026", "date")):
        response = owner.get(f"/api/v1/reconciliation?{query}")
        assert response.status_code == 422 and field in str(response.json), response.json
    other = books.store("CH09")
    books.user("ds9", stores=[other])
    refused = books.api("ds9").get(f"/api/v1/reconciliation?store_id={einvoice_world['store']}&date=2026-11-25")
    assert refused.status_code == 403


def test_the_page_offers_a_one_click_resend_of_a_refused_invoice(app, einvoice_world, docs, einvoice_sandbox,
                                                                make_runner, clock):
    from ..web.test_backoffice_pages import signed_in

    einvoice_sandbox.simulator.faults.push("reject", route="create")
    docs.sale(einvoice_world["store"], [(einvoice_world["drug"], "Viên", 1)])
    drain(app, make_runner(timeout=(1.0, 5.0)), clock)
    owner = signed_in(app, "owner")
    page = owner.get(f"/reconciliation/day?date={local_date(clock()).isoformat()}").get_data(as_text=True)
    assert 'id="einvoice-missing"' in page and "Gửi lại" in page and "HD-CH01-000001" in page
    from .test_einvoice_lane import messages

    [message] = messages(app)
    resent = owner.post(f"/sync/messages/{message.id}/retry", data={"csrf_token": owner.csrf})
    assert resent.status_code == 302
    assert messages(app)[0].status == "pending"


def test_verify_asks_the_national_side_and_finds_the_invoice_it_lost(app, einvoice_world, docs, books, sandbox,
                                                                     einvoice_sandbox, make_runner, clock):
    """`verify=true` looks each of the day's invoices up on the legacy API now: one the national side no longer has
    is missing ("absent") although the sync recorded it as sent; receipts have no look-up there; a national side
    that does not answer makes them "unreachable", never an error."""
    world = einvoice_world
    owner = books.api("owner")
    sold = [docs.sale(world["store"], [(world["drug"], "Viên", 1)]) for _ in range(2)]
    numbers = [owner.get(f"/api/v1/sales/{sale_id}").json["number"] for sale_id in sold]
    drain(app, make_runner(timeout=(1.0, 5.0)), clock)
    url = f"/api/v1/reconciliation?store_id={world['store']}&date={local_date(clock()).isoformat()}"
    recorded = owner.get(url).json["national"]
    assert recorded["verified"] is False and not [i for i in recorded["missing"] if i["document_type"] == "sale"]
    lost = numbers[1]
    assert sandbox.simulator.state.delete("hoa_don", "CS-CH01", lost)

    app.config["NATIONAL_DRUG_DB_URL"] = sandbox.url
    asked = owner.get(url + "&verify=true")
    assert asked.status_code == 200, asked.json
    national = asked.json["national"]
    assert national["verified"] is True
    assert [(i["number"], i["reason"]) for i in national["missing"] if i["document_type"] == "sale"] == [
        (lost, "absent")]
    assert {i["reason"] for i in national["differing"] if i["document_type"] == "receipt"} <= {"not_verifiable"}
    assert national["confirmed_count"] == recorded["confirmed_count"] - 1 - len(
        [i for i in national["differing"] if i["document_type"] == "receipt"])

    from ..web.test_backoffice_pages import signed_in

    page = signed_in(app, "owner").get("/reconciliation/day?verify=1").get_data(as_text=True)
    assert "vừa hỏi trực tiếp hệ thống quốc gia" in page and "không còn ghi nhận" in page and lost in page
    assert "/resend-lost" in page  # one click sends it again

    from .test_einvoice_lane import messages as outbox

    lost_message = next(m for m in outbox(app, "national_drug_db") if m.document_number == lost and m.kind == "sale")
    kept = next(m for m in outbox(app, "national_drug_db") if m.document_number == numbers[0] and m.kind == "sale")
    has_it = owner.post(f"/api/v1/sync/messages/{kept.id}/resend-lost")
    assert has_it.status_code == 409 and "đã có" in has_it.json["message"], has_it.json
    page_user = signed_in(app, "owner")
    clicked = page_user.post(f"/sync/messages/{kept.id}/resend-lost", data={"csrf_token": page_user.csrf},
                             follow_redirects=True)
    assert clicked.status_code == 200 and "Đối soát cuối ngày" in clicked.get_data(as_text=True)
    assert f"Hệ thống quốc gia đã có {numbers[0]}" in clicked.get_data(as_text=True)
    resent = owner.post(f"/api/v1/sync/messages/{lost_message.id}/resend-lost")
    assert resent.status_code == 200 and resent.json["status"] == "pending", resent.json
    again = owner.post(f"/api/v1/sync/messages/{lost_message.id}/resend-lost")
    assert again.status_code == 409 and again.json["errors"] == {"status": again.json["errors"]["status"]}
    drain(app, make_runner(timeout=(1.0, 5.0)), clock)
    assert sandbox.simulator.state.count("hoa_don", lost) == 1  # it is there again, once
    assert [i for i in owner.get(url + "&verify=true").json["national"]["missing"] if i["document_type"] == "sale"] == []

    app.config["NATIONAL_DRUG_DB_URL"] = "http://127.0.0.1:9"  # nothing listens: unreachable, not a 500
    unreachable = owner.get(url + "&verify=true").json["national"]
    assert {i["number"] for i in unreachable["differing"] if i["reason"] == "unreachable"} >= set(numbers)
