"""Transfer pages through the test client: the list with what is to receive, dispatch form, slip, receive short,
cancel, and who sees which buttons."""
from __future__ import annotations

from ..web.test_backoffice_pages import signed_in


def _choose(client, store_id):
    client.post("/store", data={"store_id": store_id, "csrf_token": client.csrf})


def test_the_destination_receives_short_on_the_slip_and_the_source_cancels_another(chain, app):
    first = chain.sent([chain.line(3, "Vỉ", lot="LATE")])
    second = chain.sent([chain.line(5, lot="SOON")])
    sender, receiver = signed_in(app, "ds1"), signed_in(app, "ds2")
    assert "Chuyển kho" in sender.get("/transfers/new").get_data(as_text=True)
    listed = receiver.get("/transfers").get_data(as_text=True)
    assert f'data-transfer-id="{first["id"]}"' in listed and "CK-CH01-000002" in listed
    slip = sender.get(f"/transfers/{first['id']}").get_data(as_text=True)
    assert 'id="cancel-transfer"' in slip and 'id="receive"' not in slip and "LATE" in slip
    slip = receiver.get(f"/transfers/{first['id']}").get_data(as_text=True)
    assert 'id="receive"' in slip and 'id="cancel-transfer"' not in slip
    allocation = first["lines"][0]["allocations"][0]
    bad = receiver.post(f"/transfers/{first['id']}/receive", data={
        "csrf_token": receiver.csrf, f"q_{_allocation_id(app, first)}": "abc"})
    assert bad.status_code == 422 and chain.lots(chain.destination) == {}
    done = receiver.post(f"/transfers/{first['id']}/receive", data={
        "csrf_token": receiver.csrf, f"q_{_allocation_id(app, first)}": str(allocation["quantity"] - 4),
        "reason": "Rơi vỡ"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and "Nhận thiếu" in page and "Rơi vỡ" in page
    assert chain.lots(chain.destination) == {"LATE": 26}
    again = receiver.post(f"/transfers/{first['id']}/receive", data={"csrf_token": receiver.csrf})
    assert again.status_code in (404, 409, 422) and chain.lots(chain.destination) == {"LATE": 26}
    cancelled = sender.post(f"/transfers/{second['id']}/cancel", data={"csrf_token": sender.csrf},
                            follow_redirects=True)
    assert cancelled.status_code == 200 and "Đã hủy" in cancelled.get_data(as_text=True)
    assert chain.lots(chain.source)["SOON"] == 20
    assert receiver.post(f"/transfers/{second['id']}/cancel", data={"csrf_token": receiver.csrf}).status_code == 403


def test_a_transfer_of_other_stores_is_not_found(chain, app, books):
    sent = chain.sent([chain.line(1)])
    books.store("CH03")
    books.user("ds3", stores=[3])
    assert signed_in(app, "ds3").get(f"/transfers/{sent['id']}").status_code == 404


def _allocation_id(app, transfer):
    from pharmacy.extensions import db
    from pharmacy.models import TransferAllocation, TransferLine

    with app.app_context():
        line = db.session.get(TransferLine, transfer["lines"][0]["id"])
        return db.session.query(TransferAllocation).filter_by(transfer_line_id=line.id).first().id


def test_the_verify_page_lists_each_line_and_lot_for_the_destination_only_while_in_transit(chain, app):
    transfer = chain.sent([chain.line(3, "Vỉ", lot="LATE"), chain.line(5, lot="SOON")])
    sender, receiver = signed_in(app, "ds1"), signed_in(app, "ds2")
    page = receiver.get(f"/transfers/{transfer['id']}/verify")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Kiểm hàng chuyển đến" in text
    assert 'data-lot="LATE" data-expected="30"' in text and 'data-lot="SOON" data-expected="5"' in text
    assert f'href="/transfers/{transfer["id"]}/verify"' in receiver.get("/transfers").get_data(as_text=True)
    assert sender.get(f"/transfers/{transfer['id']}/verify").status_code == 302  # the source has nothing to check
    chain.receive(transfer["id"], chain.all_of(transfer))
    assert receiver.get(f"/transfers/{transfer['id']}/verify").status_code == 302  # received: the slip
    assert signed_in(app, "owner").get("/transfers/999999/verify").status_code == 404
