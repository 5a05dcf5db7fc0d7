"""Lookup → report → lookup round trips against the sandbox, and the refusals a person must see."""
from __future__ import annotations

import pytest

from connectors.eprescription.payloads import dispense_payload
from connectors.http_errors import RejectedError
from connectors.sandboxes.eprescription.prescriptions import ORDINARY_CODE, PARTLY_SOLD_CODE


def test_report_is_recorded_and_the_next_lookup_shows_so_luong_ban(client, sandbox, make_dispense):
    rx = client.lookup(ORDINARY_CODE)

    result = client.report_dispense(dispense_payload(make_dispense(rx, {101: 9, 102: 14})))

    assert result.status == 200 and result.message
    again = client.lookup(ORDINARY_CODE)
    assert [(line.so_luong_ban, line.remaining) for line in again.lines] == [(9, 12), (14, 0)]
    assert again.raw["thong_tin_don_thuoc"][0]["so_luong_ban"] == 9
    assert sandbox.report_count(ORDINARY_CODE, "HD-79123-000042") == 1


def test_a_second_invoice_adds_up_to_the_prescribed_quantity(client, sandbox, make_dispense):
    rx = client.lookup(PARTLY_SOLD_CODE)
    client.report_dispense(dispense_payload(make_dispense(rx, {201: 20}, invoice="HD-2")))

    assert client.lookup(PARTLY_SOLD_CODE).fully_dispensed
    assert sandbox.sold(PARTLY_SOLD_CODE, 201) == 30
    assert sandbox.duplicates() == {}


def test_overfill_is_refused_and_changes_nothing(client, sandbox, make_dispense):
    rx = client.lookup(PARTLY_SOLD_CODE)  # 30 prescribed, 10 already sold elsewhere

    with pytest.raises(RejectedError, match="vượt quá số lượng kê đơn") as caught:
        client.report_dispense(dispense_payload(make_dispense(rx, {201: 21})))

    assert caught.value.status == 422 and not caught.value.retryable
    assert sandbox.sold(PARTLY_SOLD_CODE, 201) == 10
    assert sandbox.report_count(PARTLY_SOLD_CODE) == 0


def test_a_refused_line_refuses_the_whole_report(client, sandbox, make_dispense):
    payload = dispense_payload(make_dispense(client.lookup(ORDINARY_CODE), {101: 3, 102: 15}))
    with pytest.raises(RejectedError, match="422"):
        client.report_dispense(payload)
    assert sandbox.sold(ORDINARY_CODE, 101) == 0


def test_an_unknown_line_is_rejected(client, make_dispense):
    payload = dispense_payload(make_dispense(client.lookup(ORDINARY_CODE), {101: 1}))
    payload["thong_tin_thuoc"][0]["ma_thuoc_da_ke_don"] = 999
    with pytest.raises(RejectedError, match="999"):
        client.report_dispense(payload)


def test_an_unknown_prescription_on_report_is_a_rejection_not_a_lookup_miss(client, make_dispense):
    payload = dispense_payload(make_dispense(client.lookup(ORDINARY_CODE), {101: 1}))
    payload["ma_don_thuoc"] = "99999zzzzzzz-c"
    with pytest.raises(RejectedError, match="404.*Không tìm thấy đơn thuốc"):
        client.report_dispense(payload)


def test_missing_invoice_number_is_rejected(client, make_dispense):
    payload = dispense_payload(make_dispense(client.lookup(ORDINARY_CODE), {101: 1}))
    del payload["ma_hoa_don"]
    with pytest.raises(RejectedError, match="ma_hoa_don"):
        client.report_dispense(payload)


def test_the_sandbox_counts_a_resent_report_as_a_duplicate(client, sandbox, make_dispense):
    payload = dispense_payload(make_dispense(client.lookup(ORDINARY_CODE), {101: 5}, invoice="HD-7"))
    client.report_dispense(payload)
    client.report_dispense(payload)  # the real system does not detect duplicates either

    assert sandbox.report_count(ORDINARY_CODE, "HD-7") == 2
    assert sandbox.duplicates() == {(ORDINARY_CODE, "HD-7"): 2}
    assert sandbox.sold(ORDINARY_CODE, 101) == 10
