"""Each injected fault surfaces as the right typed error, and an unknown outcome is resolved by looking up again."""
from __future__ import annotations

import time

import pytest

from connectors.eprescription.payloads import dispense_payload
from connectors.http_errors import RejectedError, TransientError, UnknownOutcomeError
from connectors.sandboxes.eprescription.prescriptions import ORDINARY_CODE
from connectors.sandboxes.kit import (
    FAULT_400_ENVELOPE,
    FAULT_429,
    FAULT_500,
    FAULT_503,
    FAULT_DROP_AFTER_STORE,
    FAULT_HANG,
)


@pytest.fixture
def payload(client, make_dispense):
    return dispense_payload(make_dispense(client.lookup(ORDINARY_CODE), {101: 6}))


@pytest.mark.parametrize("fault, status", [(FAULT_500, 500), (FAULT_503, 503)])
@pytest.mark.parametrize("route", ["lookup", "report"])
def test_server_errors_are_transient_and_store_nothing(client, sandbox, faults, payload, fault, status, route):
    faults.push(fault, route=route)
    with pytest.raises(TransientError) as caught:
        client.lookup(ORDINARY_CODE) if route == "lookup" else client.report_dispense(payload)
    assert caught.value.status == status and caught.value.retryable
    assert sandbox.report_count(ORDINARY_CODE) == 0


def test_429_is_transient_with_retry_after(client, faults, payload):
    faults.push(FAULT_429, route="report")
    with pytest.raises(TransientError) as caught:
        client.report_dispense(payload)
    assert (caught.value.status, caught.value.retry_after) == (429, 7.0)


def test_a_validation_envelope_is_a_rejection_with_its_message(client, faults, payload):
    faults.push(FAULT_400_ENVELOPE, route="report")
    with pytest.raises(RejectedError, match="Dữ liệu không hợp lệ"):
        client.report_dispense(payload)


def test_a_hanging_lookup_is_transient(client, faults):
    faults.push(FAULT_HANG, route="lookup")
    with pytest.raises(TransientError, match="ReadTimeout"):
        client.lookup(ORDINARY_CODE)


def test_a_hanging_report_has_an_unknown_outcome_and_is_stored_later(client, sandbox, faults, payload):
    faults.push(FAULT_HANG, route="report")
    with pytest.raises(UnknownOutcomeError) as caught:
        client.report_dispense(payload)
    assert not caught.value.retryable
    deadline = time.monotonic() + 3 * faults.hang_seconds
    while sandbox.report_count(ORDINARY_CODE) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert client.lookup(ORDINARY_CODE).line(101).so_luong_ban == 6  # the lookup tells what happened


def test_a_dropped_answer_after_storing_is_an_unknown_outcome_that_a_lookup_resolves(client, sandbox, faults,
                                                                                        payload):
    faults.push(FAULT_DROP_AFTER_STORE, route="report")
    with pytest.raises(UnknownOutcomeError, match="may have been processed"):
        client.report_dispense(payload)

    assert client.lookup(ORDINARY_CODE).line(101).so_luong_ban == 6  # it was recorded: do not resend
    assert sandbox.report_count(ORDINARY_CODE) == 1


def test_a_dropped_lookup_is_simply_transient(client, faults):
    faults.push(FAULT_DROP_AFTER_STORE, route="lookup")
    with pytest.raises(TransientError):
        client.lookup(ORDINARY_CODE)


def test_an_unreachable_server_is_transient_even_for_a_report(payload, credentials):
    from connectors.eprescription.client import EPrescriptionClient

    closed = EPrescriptionClient("http://127.0.0.1:9", *credentials, timeout=(0.5, 0.5))
    with pytest.raises(TransientError):
        closed.report_dispense(payload)
