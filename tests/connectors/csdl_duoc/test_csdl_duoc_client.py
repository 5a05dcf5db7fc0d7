"""The v2 client over real loopback HTTP: login and token renewal, and how failures become typed errors."""
from __future__ import annotations

import time

import pytest
import requests

from connectors.csdl_duoc.client import CsdlDuocClient
from connectors.csdl_duoc.errors import (
    AuthError,
    NotFoundError,
    RejectedError,
    TransientError,
    UnknownOutcomeError,
)
from connectors.sandboxes.csdl_duoc.simulator import ROUTE_DRUGS, ROUTE_LOGIN, ROUTE_STATUS, ROUTE_SUBMIT
from connectors.sandboxes.kit import (
    FAULT_400_ENVELOPE,
    FAULT_429,
    FAULT_500,
    FAULT_503,
    FAULT_DROP_AFTER_STORE,
    FAULT_HANG,
    FAULT_INVALIDATE_TOKEN,
)

PAYLOAD = {"transaction_date": "2026-03-02T09:00:00+07:00", "reason": "opening-balance",
           "reference_number": "TDK-1", "note": "",
           "items": [{"drug_id": "893000000001", "unit_id": "VIEN", "quantity": 10, "batch_no": "L1",
                      "expiry_date": "2027-06-30", "price": 450}]}


def test_login_sends_the_password_base64_encoded_in_a_form(served, sandbox, account):
    seen = {}

    def spy(response, *args, **kwargs):
        seen["body"], seen["type"] = response.request.body, response.request.headers["Content-Type"]

    session = requests.Session()
    session.hooks["response"].append(spy)
    with CsdlDuocClient(served.url, account.username, account.password, session=session) as api:
        api.login()
    session.close()
    assert seen["type"] == "application/x-www-form-urlencoded"
    assert seen["body"] == "username=nt-hoa-binh&password=TeG6rXQga2jhuql1IDEh"  # base64 of UTF-8 "Mật khẩu 1!"
    assert sandbox.state.logins == [account.username]


def test_wrong_password_is_an_auth_error_that_is_not_retryable(served, account):
    with CsdlDuocClient(served.url, account.username, "wrong") as api, pytest.raises(AuthError) as caught:
        api.drugs()
    assert not caught.value.retryable
    assert "Sai tên đăng nhập" in str(caught.value)


def test_the_token_is_reused_then_renewed_shortly_before_it_expires(served, sandbox, account, new_clock):
    clock = new_clock(start=0.0)
    with CsdlDuocClient(served.url, account.username, account.password, clock=clock, renew_margin=60) as api:
        api.drugs()
        clock.advance(239)  # token lives 300 s: renewal is due from 240 s
        api.drugs()
        assert api.logins == 1
        clock.advance(2)
        api.drugs()
        assert api.logins == 2
    assert sandbox.state.logins == [account.username] * 2


def test_a_token_the_server_forgot_is_replaced_by_one_new_login(client, faults):
    faults.push(FAULT_INVALIDATE_TOKEN, route=ROUTE_DRUGS)
    assert client.drugs().total == 2
    assert client.logins == 2


def test_an_expired_token_on_the_server_side_leads_to_one_new_login(client, sandbox_clock):
    client.drugs()
    sandbox_clock.advance(301)  # the server's clock runs ahead of the client's estimate
    assert client.drugs().total == 2
    assert client.logins == 2


def test_a_second_401_in_a_row_is_an_auth_error_not_a_login_loop(client, faults):
    faults.push(FAULT_INVALIDATE_TOKEN, count=2, route=ROUTE_DRUGS)
    with pytest.raises(AuthError):
        client.drugs()
    assert client.logins == 2


def test_429_is_transient_with_the_retry_after_seconds_and_stores_nothing(client, faults, sandbox):
    faults.push(FAULT_429, route=ROUTE_SUBMIT)
    with pytest.raises(TransientError) as caught:
        client.submit("stock-in", PAYLOAD)
    assert caught.value.retryable and caught.value.retry_after == 7.0
    assert sandbox.state.count("TDK-1") == 0


@pytest.mark.parametrize("fault", [FAULT_500, FAULT_503])
def test_server_errors_on_submit_are_transient_and_store_nothing(client, faults, sandbox, fault):
    faults.push(fault, route=ROUTE_SUBMIT)
    with pytest.raises(TransientError) as caught:
        client.submit("stock-in", PAYLOAD)
    assert caught.value.status == int(fault)
    assert sandbox.state.count("TDK-1") == 0


def test_a_connection_dropped_after_the_server_stored_the_submission_is_an_unknown_outcome(client, faults, sandbox):
    faults.push(FAULT_DROP_AFTER_STORE, route=ROUTE_SUBMIT)
    with pytest.raises(UnknownOutcomeError) as caught:
        client.submit("stock-in", PAYLOAD)
    assert not caught.value.retryable
    assert sandbox.state.count("TDK-1") == 1  # stored once: resubmitting blindly would make it twice


def test_a_read_timeout_on_submit_is_an_unknown_outcome(served, faults, sandbox, account):
    faults.push(FAULT_HANG, route=ROUTE_SUBMIT)
    with CsdlDuocClient(served.url, account.username, account.password, timeout=(2, 0.2)) as api:
        api.login()
        with pytest.raises(UnknownOutcomeError):
            api.submit("stock-in", PAYLOAD)
    deadline = time.monotonic() + 5
    while sandbox.state.count("TDK-1") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sandbox.state.count("TDK-1") == 1


@pytest.mark.parametrize("fault", [FAULT_503, FAULT_429, FAULT_DROP_AFTER_STORE])
def test_failures_while_polling_are_transient_because_polling_is_safe_to_repeat(client, faults, fault):
    transaction_id, _ = client.submit("stock-in", PAYLOAD)
    faults.push(fault, route=ROUTE_STATUS)
    with pytest.raises(TransientError):
        client.status("stock-in", transaction_id)
    assert client.status("stock-in", transaction_id).status in ("processing", "completed")


def test_an_unreachable_server_is_transient_for_reads(unused_url, account):
    with CsdlDuocClient(unused_url, account.username, account.password, timeout=(0.5, 0.5)) as api:
        with pytest.raises(TransientError):
            api.drugs()


def test_a_login_failing_with_503_is_transient_not_bad_credentials(client, faults):
    faults.push(FAULT_503, route=ROUTE_LOGIN)
    with pytest.raises(TransientError):
        client.login()


def test_an_unknown_transaction_is_not_found_and_another_stores_transaction_too(client, other_client):
    transaction_id, _ = client.submit("stock-in", PAYLOAD)
    with pytest.raises(NotFoundError):
        client.status("stock-in", "TX99999999")
    with pytest.raises(NotFoundError):
        client.status("stock-out", transaction_id)
    with pytest.raises(NotFoundError):
        other_client.status("stock-in", transaction_id)


def test_an_unknown_kind_is_refused_before_anything_is_sent(client):
    with pytest.raises(ValueError, match="unknown transaction kind"):
        client.submit("stock-move", PAYLOAD)


def test_structural_errors_are_rejected_synchronously_with_the_servers_messages(client, sandbox):
    bad = PAYLOAD | {"transaction_date": "2026-03-02", "reason": "gift",
                     "items": [PAYLOAD["items"][0] | {"quantity": 2.5, "expiry_date": "30/06/2027"}]}
    with pytest.raises(RejectedError) as caught:
        client.submit("stock-in", bad)
    message = str(caught.value)
    assert caught.value.status == 400 and not caught.value.retryable
    for fragment in ("transaction_date:", "reason: 'gift'", "items[0].quantity:", "items[0].expiry_date:"):
        assert fragment in message
    assert sandbox.state.transactions() == []


def test_the_client_never_shows_its_password(client, account):
    assert account.password not in repr(client)


def test_a_validation_envelope_on_submit_is_a_rejection_for_a_person(client, faults, sandbox):
    faults.push(FAULT_400_ENVELOPE, route=ROUTE_SUBMIT)
    with pytest.raises(RejectedError, match="items\\[0\\].quantity: sandbox validation fault"):
        client.submit("stock-in", PAYLOAD)
    assert sandbox.state.count("TDK-1") == 0
