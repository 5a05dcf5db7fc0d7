"""Mapped documents go through the sandbox end to end: submit, poll to a terminal status, the opening-balance rule."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from connectors.csdl_duoc.client import StatusResult
from connectors.csdl_duoc.mapping import to_transaction
from connectors.documents import (
    DrugInfo,
    Facility,
    LotQuantity,
    OpeningBalanceDoc,
    SaleDoc,
    SaleLineDoc,
    StockCountLineDoc,
    StockLineDoc,
    StockTakingDoc,
    V2Unit,
)

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
EXPIRY = date(2027, 6, 30)
HAPACOL = DrugInfo(national_code="TQG000001", name="Hapacol 500", active_ingredient="Paracetamol",
                   base_unit="Viên", v2_drug_id="893000000001",
                   v2_units=(V2Unit("VIEN", "Viên"), V2Unit("HOP", "Hộp", "8931000000016")))


def facility(code="FAC-01") -> Facility:
    return Facility(code=code, name="Nhà thuốc")


def opening(number="TDK-1", drug=HAPACOL) -> OpeningBalanceDoc:
    return OpeningBalanceDoc(number=number, facility=facility(), as_of=NOW,
                             lines=(StockLineDoc(drug=drug, lot="L1", expiry=EXPIRY, quantity=500, unit_price=450),))


def retail_sale(number="HD-1") -> SaleDoc:
    line = SaleLineDoc(drug=HAPACOL, unit_name="Hộp", unit_factor=100, unit_price=45_000, quantity=1,
                       allocations=(LotQuantity("L1", EXPIRY, 100),))
    return SaleDoc(number=number, facility=facility(), sold_at=NOW, seller_name="DS Lan", customer_name=None,
                   national_prescription_code=None, lines=(line,))


def send_and_wait(api, doc, polls: int = 10) -> StatusResult:
    """Submit one mapped document and poll (bounded) until a terminal status."""
    kind, payload = to_transaction(doc)
    transaction_id, status = api.submit(kind, payload)
    assert status == "accepted"
    for _ in range(polls):
        result = api.status(kind, transaction_id)
        if result.terminal:
            return result
    raise AssertionError(f"{transaction_id} still {result.status} after {polls} polls")


def test_a_submission_is_accepted_then_processing_then_completed(client, sandbox):
    kind, payload = to_transaction(opening())
    transaction_id, status = client.submit(kind, payload)
    first, second = client.status(kind, transaction_id), client.status(kind, transaction_id)
    assert (status, first.status, first.terminal) == ("accepted", "processing", False)
    assert (second.status, second.terminal, second.messages) == ("completed", True, ())
    assert second.submitted_at.endswith("+07:00")
    recorded = sandbox.state.get(transaction_id)
    assert (recorded.facility_code, recorded.payload) == ("FAC-01", payload)


def test_sales_are_rejected_until_the_stores_opening_balance_has_completed(client, sandbox):
    refused = send_and_wait(client, retail_sale("HD-1"))
    assert refused.status == "rejected"
    assert any("opening-balance" in message for message in refused.messages)

    assert send_and_wait(client, opening()).status == "completed"
    assert send_and_wait(client, retail_sale("HD-2")).status == "completed"
    assert [sandbox.state.count(n) for n in ("HD-1", "TDK-1", "HD-2")] == [1, 1, 1]  # exactly once each


def test_an_opening_balance_only_unlocks_its_own_store(client, other_client):
    assert send_and_wait(client, opening()).status == "completed"
    assert send_and_wait(other_client, retail_sale("HD-9")).status == "rejected"


def test_an_opening_balance_still_processing_does_not_unlock_sales(client):
    kind, payload = to_transaction(opening())
    client.submit(kind, payload)  # never polled: still accepted
    assert send_and_wait(client, retail_sale()).status == "rejected"


def test_an_unknown_drug_id_is_rejected_at_processing_with_a_message_naming_it(client):
    stranger = DrugInfo(national_code="TQG000099", name="Thuốc lạ", active_ingredient="X", base_unit="Viên",
                        v2_drug_id="893999999999", v2_units=(V2Unit("VIEN", "Viên"),))
    result = send_and_wait(client, opening("TDK-X", drug=stranger))
    assert result.status == "rejected"
    assert result.messages == ("items[0].drug_id: mã thuốc 893999999999 không có trong CSDL Dược",)


def test_a_stock_count_completes_as_stock_taking(client, sandbox):
    count = StockTakingDoc(number="KK-1", facility=facility(), counted_at=NOW, lines=(
        StockCountLineDoc(drug=HAPACOL, lot="L1", expiry=EXPIRY, system_quantity=500, actual_quantity=498),))
    assert send_and_wait(client, count).status == "completed"
    assert [t.kind for t in sandbox.state.transactions()] == ["stock-taking"]


def test_statuses_are_compared_case_insensitively_and_error_is_terminal(client, sandbox):
    sandbox.state.force_outcome("TDK-1", "ERROR", ["Lỗi xử lý nội bộ"])
    result = send_and_wait(client, opening())
    assert (result.status, result.terminal, result.messages) == ("error", True, ("Lỗi xử lý nội bộ",))


def test_processing_can_finish_by_elapsed_time_instead_of_polls(client, sandbox, sandbox_clock):
    sandbox.state.polls_to_finish, sandbox.state.seconds_to_finish = 100, 30
    kind, payload = to_transaction(opening())
    transaction_id, _ = client.submit(kind, payload)
    assert client.status(kind, transaction_id).status == "processing"
    sandbox_clock.advance(31)
    assert client.status(kind, transaction_id).status == "completed"


@pytest.mark.parametrize("polls_to_finish", [1, 3])
def test_the_number_of_polls_to_finish_is_configurable(client, sandbox, polls_to_finish):
    sandbox.state.polls_to_finish = polls_to_finish
    kind, payload = to_transaction(opening())
    transaction_id, _ = client.submit(kind, payload)
    statuses = [client.status(kind, transaction_id).status for _ in range(polls_to_finish)]
    assert statuses == ["processing"] * (polls_to_finish - 1) + ["completed"]


def test_process_all_finishes_pending_transactions_in_submission_order(client, sandbox):
    for doc in (opening(), retail_sale()):
        client.submit(*to_transaction(doc))
    sandbox.state.process_all()
    assert [t.status for t in sandbox.state.transactions()] == ["completed", "completed"]
