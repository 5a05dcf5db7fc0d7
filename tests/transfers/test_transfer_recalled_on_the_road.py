"""A lot recalled while its transfer is on the road: received, it lands in quarantine at the destination; called
back, it returns into quarantine at the source. Recalled goods never become sellable again."""
from __future__ import annotations

from datetime import date


def _recall(chain, lot):
    response = chain.owner.post("/api/v1/recalls", json={
        "decision_number": "77/QĐ-QLD", "decision_date": date.today().isoformat(), "level": 1,
        "product_id": chain.product, "lots": [lot], "reason": "Nhiễm tạp chất"})
    assert response.status_code == 201, response.json


def test_a_lot_recalled_in_transit_is_received_into_quarantine(chain):
    transfer = chain.sent([chain.line(3, "Vỉ", lot="LATE")])
    _recall(chain, "LATE")
    received = chain.receive(transfer["id"], chain.all_of(transfer))
    assert received.status_code == 200, received.json
    assert chain.lots(chain.destination, state="quarantine") == {"LATE": 30}
    assert chain.lots(chain.destination, state="sellable") == {}
    assert chain.mismatches() == []


def test_a_lot_recalled_in_transit_comes_back_into_quarantine_when_the_transfer_is_cancelled(chain):
    transfer = chain.sent([chain.line(3, "Vỉ", lot="LATE")])
    _recall(chain, "LATE")  # the 70 left at the source go to quarantine now
    cancelled = chain.sender.post(f"/api/v1/transfers/{transfer['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.json
    assert chain.lots(chain.source, state="quarantine") == {"LATE": 100}
    assert chain.lots(chain.source, state="sellable")["LATE"] == 0
    assert chain.mismatches() == []
