"""LegacyClient over real loopback HTTP to the sandbox: login, token upkeep, documents and every fault kind."""
from __future__ import annotations

import logging
import time

import pytest

from connectors.nationaldb.errors import (
    AuthError,
    RejectedError,
    TokenRejectedError,
    TransientError,
    UnknownOutcomeError,
)
from connectors.nationaldb.payloads import invoice_payload, issue_payload, receipt_payload

from .conftest import FACILITY_CODE, OTHER_PASSWORD, OTHER_USERNAME, PASSWORD, stop_served


class FakeClock:
    def __init__(self):
        self.now = 1_000.0

    def __call__(self):
        return self.now


def wait_until(condition, seconds=3.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_first_call_logs_in_and_sends_the_token_from_data(client, sandbox, make_sale):
    result = client.post_invoice(invoice_payload(make_sale()))
    assert result.status == 200
    assert result.national_id.startswith(f"{FACILITY_CODE}.")
    assert "Tạo hóa đơn thành công" in result.body and len(result.body) <= 500
    assert sandbox.state.logins == 1
    assert sandbox.state.count("hoa_don", "HD-CH01-000123") == 1


def test_token_is_cached_between_calls(client, sandbox, make_sale, make_receipt):
    client.post_invoice(invoice_payload(make_sale()))
    client.post_receipt(receipt_payload(make_receipt()))
    assert client.get_invoice(FACILITY_CODE, "HD-CH01-000123") is True
    assert sandbox.state.logins == 1


def test_token_is_renewed_proactively_after_12_hours(make_client, sandbox, make_sale):
    clock = FakeClock()
    client = make_client(clock=clock)
    client.get_invoice(FACILITY_CODE, "HD-1")
    clock.now += 11.9 * 3600
    client.get_invoice(FACILITY_CODE, "HD-1")
    assert sandbox.state.logins == 1
    clock.now += 0.1 * 3600
    client.get_invoice(FACILITY_CODE, "HD-1")
    assert sandbox.state.logins == 2
    assert [call[2] for call in sandbox.state.calls].count(401) == 0


def test_401_logs_in_again_once_and_repeats_the_call(client, sandbox, faults, make_sale):
    client.get_invoice(FACILITY_CODE, "HD-1")
    faults.push("invalidate_token", route="post:hoa_don")
    result = client.post_invoice(invoice_payload(make_sale()))
    assert result.status == 200
    assert sandbox.state.logins == 2
    assert sandbox.state.count("hoa_don", "HD-CH01-000123") == 1


def test_a_second_401_after_logging_in_again_is_raised_without_looping(client, sandbox, faults, make_sale):
    faults.push("invalidate_token", count=2, route="post:hoa_don")
    with pytest.raises(TokenRejectedError) as caught:
        client.post_invoice(invoice_payload(make_sale()))
    assert caught.value.retryable and not caught.value.outcome_unknown
    assert caught.value.status == 401
    assert sandbox.state.logins == 2
    assert [c[:2] for c in sandbox.state.calls].count(("POST", "/api/lien_thong/hoa_don")) == 2


def test_bad_credentials_raise_auth_error_with_the_server_message(make_client, sandbox):
    client = make_client(password="wrong")
    with pytest.raises(AuthError) as caught:
        client.get_invoice(FACILITY_CODE, "HD-1")
    assert not caught.value.retryable
    assert caught.value.message == "Tên đăng nhập hoặc mật khẩu không đúng"
    assert sandbox.state.logins == 0


def test_password_and_token_never_reach_logs_errors_or_repr(make_client, sandbox, faults, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client()
    client.get_invoice(FACILITY_CODE, "HD-1")
    token = client._token
    faults.push("400_envelope", route="login")
    faults.push("invalidate_token")
    with pytest.raises(AuthError) as caught:
        client.get_invoice(FACILITY_CODE, "HD-1")
    shown = caplog.text + repr(client) + str(caught.value) + caught.value.body
    assert PASSWORD not in shown and token not in shown


def test_get_invoice_answers_whether_it_exists(client, make_sale):
    assert client.get_invoice(FACILITY_CODE, "HD-CH01-000123") is False
    client.post_invoice(invoice_payload(make_sale()))
    assert client.get_invoice(FACILITY_CODE, "HD-CH01-000123") is True


def test_deleting_twice_succeeds_both_times(client, sandbox, make_sale):
    client.post_invoice(invoice_payload(make_sale()))
    first = client.delete_invoice(FACILITY_CODE, "HD-CH01-000123")
    second = client.delete_invoice(FACILITY_CODE, "HD-CH01-000123")
    assert (first.status, first.found, second.status, second.found) == (200, True, 200, True)
    assert client.get_invoice(FACILITY_CODE, "HD-CH01-000123") is False
    [doc] = sandbox.state.documents("hoa_don")
    assert doc.deleted


def test_deleting_a_document_never_recorded_reports_not_found(client):
    result = client.delete_receipt(FACILITY_CODE, "PN-CH01-999999")
    assert (result.status, result.found) == (404, False)


def test_receipts_and_issues_return_their_national_ids(client, sandbox, make_receipt, make_issue):
    receipt = client.post_receipt(receipt_payload(make_receipt()))
    issue = client.post_issue(issue_payload(make_issue()))
    assert receipt.national_id and issue.national_id
    assert client.delete_issue(FACILITY_CODE, "PX-CH01-000007").status == 200
    assert sandbox.state.count("phieu_nhap", "PN-CH01-000045") == 1
    assert sandbox.state.count("phieu_xuat", "PX-CH01-000007") == 0


def test_rejection_carries_the_business_message(make_client, make_sale, facility):
    client = make_client(OTHER_USERNAME, OTHER_PASSWORD)
    with pytest.raises(RejectedError) as caught:
        client.post_invoice(invoice_payload(make_sale()))
    assert (caught.value.status, caught.value.message) == (400, "Mã cơ sở không chính xác")
    assert not caught.value.retryable


@pytest.mark.parametrize(("fault", "status"), [("500", 500), ("503", 503)])
def test_server_errors_are_transient(client, sandbox, faults, make_sale, fault, status):
    faults.push(fault, route="post:hoa_don")
    with pytest.raises(TransientError) as caught:
        client.post_invoice(invoice_payload(make_sale()))
    assert type(caught.value) is TransientError and caught.value.status == status
    assert sandbox.state.count("hoa_don", "HD-CH01-000123") == 0


def test_429_is_transient_with_retry_after(client, faults, make_sale):
    faults.push("429", route="post:hoa_don")
    with pytest.raises(TransientError) as caught:
        client.post_invoice(invoice_payload(make_sale()))
    assert (caught.value.status, caught.value.retry_after) == (429, 7.0)


def test_400_envelope_is_rejected_with_the_validation_members(client, faults, make_sale):
    faults.push("400_envelope", route="post:hoa_don")
    with pytest.raises(RejectedError) as caught:
        client.post_invoice(invoice_payload(make_sale()))
    assert caught.value.errors == [{"message": "The Ma_co_so field is required.", "members": ["input.Ma_co_so"]}]
    assert "input.Ma_co_so" in caught.value.message


def test_hang_is_an_unknown_outcome_and_the_invoice_arrives_anyway(client, sandbox, faults, make_sale):
    faults.push("hang", route="post:hoa_don")
    with pytest.raises(UnknownOutcomeError) as caught:
        client.post_invoice(invoice_payload(make_sale()))
    assert caught.value.retryable and caught.value.outcome_unknown
    assert wait_until(lambda: client.get_invoice(FACILITY_CODE, "HD-CH01-000123"))
    assert sandbox.state.count("hoa_don", "HD-CH01-000123") == 1


def test_dropped_connection_after_store_is_an_unknown_outcome(client, sandbox, faults, make_receipt):
    faults.push("drop_after_store", route="post:phieu_nhap")
    with pytest.raises(UnknownOutcomeError):
        client.post_receipt(receipt_payload(make_receipt()))
    assert sandbox.state.count("phieu_nhap", "PN-CH01-000045") == 1
    # The runner's way out: DELETE (safe to repeat), then send again -> exactly one live copy.
    client.delete_receipt(FACILITY_CODE, "PN-CH01-000045")
    client.post_receipt(receipt_payload(make_receipt()))
    assert sandbox.state.count("phieu_nhap", "PN-CH01-000045") == 1
    assert sandbox.state.count("phieu_nhap", "PN-CH01-000045", include_deleted=True) == 2


def test_transient_login_failure_is_transient_not_auth(client, faults):
    faults.push("503", route="login")
    with pytest.raises(TransientError):
        client.get_invoice(FACILITY_CODE, "HD-1")
    assert client.get_invoice(FACILITY_CODE, "HD-1") is False


def test_unreachable_server_is_transient_with_a_known_outcome(sandbox, make_client, served):
    stop_served(served)
    client = make_client()
    with pytest.raises(TransientError) as caught:
        client.get_invoice(FACILITY_CODE, "HD-1")
    assert not caught.value.outcome_unknown


def test_client_does_not_retry_a_post_at_transport_level(client, sandbox, faults, make_sale):
    faults.push("drop_after_store", route="post:hoa_don")
    with pytest.raises(UnknownOutcomeError):
        client.post_invoice(invoice_payload(make_sale()))
    assert [c[:2] for c in sandbox.state.calls].count(("POST", "/api/lien_thong/hoa_don")) == 1
    assert sandbox.state.count("hoa_don", "HD-CH01-000123") == 1
