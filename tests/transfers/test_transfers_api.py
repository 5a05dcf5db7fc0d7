"""Transfers through the API: dispatch (FEFO or a named lot), receive (in full or short), cancel, who may do what."""
from __future__ import annotations

from datetime import date, timedelta


def test_dispatch_takes_fefo_from_the_source_and_is_in_transit(chain):
    body = chain.sent([chain.line(3, "Vỉ")], note="Bổ sung hàng")
    assert (body["number"], body["status"]) == ("CK-CH01-000001", "in_transit")
    [line] = body["lines"]
    soon, late = ((date.today() + timedelta(days=n)).isoformat() for n in (30, 400))
    assert [(a["lot"], a["expiry"], a["quantity"]) for a in line["allocations"]] == [("SOON", soon, 20),
                                                                                        ("LATE", late, 10)]
    assert chain.lots(chain.source) == {"OLD": 50, "SOON": 0, "LATE": 90}
    assert chain.lots(chain.destination) == {}
    assert chain.outbox()[-1] == ("transfer_out", chain.source, "CK-CH01-000001", None)
    assert chain.mismatches() == []


def test_receiving_everything_gives_the_destination_the_same_lots_and_cost(chain, app):
    from pharmacy.extensions import db
    from pharmacy.models import StockLot

    body = chain.sent([chain.line(25)])
    response = chain.receive(body["id"], chain.all_of(body))
    assert response.status_code == 200, response.json
    assert response.json["status"] == "received"
    assert chain.lots(chain.destination) == {"SOON": 20, "LATE": 5}
    with app.app_context():
        costs = {lot.lot: (lot.unit_cost, lot.expiry) for lot in db.session.query(StockLot).filter_by(
            store_id=chain.destination)}
        source = {lot.lot: (lot.unit_cost, lot.expiry) for lot in db.session.query(StockLot).filter_by(
            store_id=chain.source)}
    assert costs == {lot: source[lot] for lot in costs}
    assert chain.outbox()[-1] == ("transfer_in", chain.destination, "CK-CH01-000001", None)
    again = chain.receive(body["id"], chain.all_of(body))
    assert again.status_code == 409
    assert chain.lots(chain.destination) == {"SOON": 20, "LATE": 5}
    assert chain.mismatches() == []


def test_less_arrived_is_a_discrepancy_booked_as_a_loss_with_the_reason(chain):
    from pharmacy.models import Movement

    body = chain.sent([chain.line(3, "Vỉ", lot="LATE")])
    [line] = body["lines"]
    response = chain.receive(body["id"], [{"transfer_line_id": line["id"], "lot": "LATE", "quantity": 2}],
                             reason="Vỡ một vỉ")
    assert response.status_code == 200, response.json
    assert (response.json["status"], response.json["discrepancy_reason"]) == ("received_with_discrepancy",
                                                                              "Vỡ một vỉ")
    [allocation] = response.json["lines"][0]["allocations"]
    assert (allocation["quantity"], allocation["received_quantity"], allocation["lost_quantity"]) == (30, 20, 10)
    assert chain.lots(chain.destination) == {"LATE": 20}
    assert chain.count(Movement, Movement.kind == "adjustment", Movement.document_type == "transfer_loss",
                       Movement.quantity == -10) == 1
    assert chain.mismatches() == []


def test_more_than_sent_or_unknown_lines_are_refused_and_nothing_written(chain):
    from pharmacy.models import Movement

    body = chain.sent([chain.line(3, "Vỉ", lot="LATE")])
    line_id = body["lines"][0]["id"]
    cases = [
        ("lines[0].quantity", [{"transfer_line_id": line_id, "lot": "LATE", "quantity": 4}]),
        ("lines[0].lot", [{"transfer_line_id": line_id, "lot": "SOON", "quantity": 1}]),
        ("lines[0].transfer_line_id", [{"transfer_line_id": line_id + 99, "lot": "LATE", "quantity": 1}]),
        ("lines[1].lot", [{"transfer_line_id": line_id, "lot": "LATE", "quantity": 1}] * 2),
        ("lines[0].quantity", [{"transfer_line_id": line_id, "lot": "LATE", "quantity": -1}]),
        ("lines", []),  # an empty body never books the whole transfer as lost
    ]
    for field, lines in cases:
        response = chain.receive(body["id"], lines)
        assert response.status_code == 422, (field, response.json)
        assert field in response.json["errors"], (field, response.json)
    assert chain.lots(chain.destination) == {}
    assert chain.count(Movement, Movement.store_id == chain.destination) == 0


def test_cancel_in_transit_returns_the_stock_to_the_source_lots(chain):
    body = chain.sent([chain.line(25)])
    response = chain.sender.post(f"/api/v1/transfers/{body['id']}/cancel")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "cancelled"
    assert chain.lots(chain.source) == {"OLD": 50, "SOON": 20, "LATE": 100}
    assert chain.receive(body["id"], chain.all_of(body)).status_code == 409
    assert chain.sender.post(f"/api/v1/transfers/{body['id']}/cancel").status_code == 409
    assert chain.outbox()[-1] == ("transfer_cancel", chain.source, "CK-CH01-000001", "transfer_out")
    assert chain.mismatches() == []


def test_expired_named_lot_is_422_and_shortage_is_409_with_available(chain):
    from pharmacy.models import Transfer

    expired = chain.send([chain.line(1, lot="OLD")])
    assert expired.status_code == 422
    assert "OLD" in expired.json["errors"]["lines[0].lot"][0]
    short = chain.send([chain.line(121)])
    assert short.status_code == 409
    assert {row["lot"]: row["quantity"] for row in short.json["available"]} == {"SOON": 20, "LATE": 100}
    assert chain.count(Transfer) == 0
    assert chain.lots(chain.source) == {"OLD": 50, "SOON": 20, "LATE": 100}


def test_bad_dispatch_input_names_the_field(chain):
    from pharmacy.models import Transfer

    cases = [
        ("to_store_id", {"to_store_id": chain.source}),
        ("to_store_id", {"to_store_id": 9999}),
        ("from_store_id", {"from_store_id": "1"}),
        ("lines", {"lines": []}),
        ("lines[0].unit", {"lines": [chain.line(1, "Thùng")]}),
        ("lines[0].product_id", {"lines": [chain.line(1, product=99999)]}),
        ("lines[0].quantity", {"lines": [chain.line(0)]}),
        ("lines[0].lot", {"lines": [chain.line(1, lot="NOPE")]}),
    ]
    for field, change in cases:
        body = {"from_store_id": chain.source, "to_store_id": chain.destination, "lines": [chain.line(1)], **change}
        response = chain.sender.post("/api/v1/transfers", json=body)
        assert response.status_code in (404, 422), (field, response.json)
        assert field in response.json["errors"], (field, response.json)
    assert chain.count(Transfer) == 0


def test_who_may_dispatch_receive_cancel_and_see(chain, books):
    body = chain.sent([chain.line(5)])
    # the destination's pharmacist cannot send from the source, nor cancel its transfer
    assert chain.send([chain.line(1)], api=chain.receiver).status_code == 403
    assert chain.receiver.post(f"/api/v1/transfers/{body['id']}/cancel").status_code == 403
    # the source's pharmacist cannot receive
    assert chain.receive(body["id"], chain.all_of(body), api=chain.sender).status_code == 403
    # a pharmacist of neither store sees nothing
    third = books.store("CH03")
    books.user("ds3", stores=[third])
    outsider = books.api("ds3")
    assert outsider.get(f"/api/v1/transfers/{body['id']}").status_code == 404
    assert outsider.get("/api/v1/transfers").json["total"] == 0
    # both ends see it; the destination finds it among those to receive
    assert chain.sender.get(f"/api/v1/transfers/{body['id']}").status_code == 200
    listed = chain.receiver.get(f"/api/v1/transfers?to_store_id={chain.destination}&status=in_transit").json
    assert (listed["total"], listed["page"], listed["per_page"]) == (1, 1, 50)
    assert chain.receiver.get(f"/api/v1/transfers?from_store_id={chain.source}").status_code == 403
    # an owner does both
    assert chain.receive(body["id"], chain.all_of(body), api=chain.owner).json["status"] == "received"
    assert chain.owner.get("/api/v1/transfers?status=received").json["total"] == 1
    assert chain.owner.get("/api/v1/transfers?status=lost").status_code == 422


def test_a_box_split_across_lots_is_received_per_lot_in_the_base_unit(chain):
    chain.books.receive(chain.source, chain.product, "TINY", date.today() + timedelta(days=10), 7)
    body = chain.sent([chain.line(1, "Hộp")])
    [line] = body["lines"]
    assert [(a["lot"], a["quantity"]) for a in line["allocations"]] == [("TINY", 7), ("SOON", 20), ("LATE", 73)]
    lines = [{"transfer_line_id": line["id"], "lot": lot, "quantity": quantity, "unit": "Viên"}
             for lot, quantity in (("TINY", 7), ("SOON", 20), ("LATE", 73))]
    wrong = chain.receive(body["id"], [lines[0] | {"unit": "Thùng"}])
    assert wrong.status_code == 422 and "lines[0].unit" in wrong.json["errors"]
    response = chain.receive(body["id"], lines)
    assert response.status_code == 200 and response.json["status"] == "received", response.json
    assert chain.lots(chain.destination) == {"TINY": 7, "SOON": 20, "LATE": 73}


def test_transfers_land_in_the_xnt_columns_of_both_stores(chain, app):
    from pharmacy.extensions import db
    from pharmacy.reports.movements import closing_of, stock_movements
    from pharmacy.reports.period import Period

    received = chain.sent([chain.line(3, "Vỉ", lot="LATE")])
    [line] = received["lines"]
    chain.receive(received["id"], [{"transfer_line_id": line["id"], "lot": "LATE", "quantity": 2}])
    cancelled = chain.sent([chain.line(5, lot="SOON")])
    chain.sender.post(f"/api/v1/transfers/{cancelled['id']}/cancel")
    today = date.today()
    with app.app_context():
        period = Period.of(today - timedelta(days=1), today + timedelta(days=1))
        source = {row.lot: row.figures for row in stock_movements(db.session, period=period, store_id=chain.source)}
        target = {row.lot: row.figures for row in stock_movements(db.session, period=period,
                                                                  store_id=chain.destination)}
    assert (source["LATE"]["transferred_out"], source["LATE"]["closing"]) == (30, 70)
    assert (source["SOON"]["transferred_out"], source["SOON"]["transferred_in"], source["SOON"]["closing"]) == (
        5, 5, 20)  # sent, then back when cancelled
    late = target["LATE"]
    assert (late["opening"], late["transferred_in"], late["adjusted"], late["closing"]) == (0, 30, -10, 20)
    assert all(closing_of(figures) == figures["closing"] for figures in (*source.values(), *target.values()))
