"""Each injected fault surfaces as the right typed error; a lost answer is safe to resend."""
from __future__ import annotations

import time

import pytest

from connectors.healthdata.bundle import dispense_bundle
from connectors.healthdata.client import HealthDataClient
from connectors.http_errors import RejectedError, TransientError
from connectors.sandboxes.kit import (
    FAULT_400_ENVELOPE,
    FAULT_429,
    FAULT_500,
    FAULT_503,
    FAULT_DROP_AFTER_STORE,
    FAULT_HANG,
)

from .conftest import NOW


@pytest.fixture
def bundle(dispense):
    return dispense_bundle(dispense, now=NOW)


@pytest.mark.parametrize("route", ["token", "bundle"])
@pytest.mark.parametrize("fault, status", [(FAULT_500, 500), (FAULT_503, 503)])
def test_server_errors_are_transient(client, sandbox, faults, bundle, route, fault, status):
    faults.push(fault, route=route)
    with pytest.raises(TransientError) as caught:
        client.post_bundle(bundle)
    assert caught.value.status == status and caught.value.retryable
    assert sandbox.count() == 0


def test_429_is_transient_with_retry_after(client, faults, bundle):
    faults.push(FAULT_429, route="bundle")
    with pytest.raises(TransientError) as caught:
        client.post_bundle(bundle)
    assert (caught.value.status, caught.value.retry_after) == (429, 5.0)


def test_a_business_rule_rejection_shows_its_message(client, faults, bundle):
    faults.push(FAULT_400_ENVELOPE, route="bundle")
    with pytest.raises(RejectedError, match="Dữ liệu không hợp lệ theo quy định"):
        client.post_bundle(bundle)


def test_a_dropped_answer_is_transient_and_the_resend_creates_nothing_new(client, sandbox, faults, bundle):
    faults.push(FAULT_DROP_AFTER_STORE, route="bundle")
    with pytest.raises(TransientError):
        client.post_bundle(bundle)
    stored = sandbox.count()
    assert stored == 11  # the server did store it

    assert client.post_bundle(bundle).created == 0
    assert sandbox.count() == stored


def test_a_hanging_post_is_transient_and_safe_to_resend(client, sandbox, faults, bundle):
    faults.push(FAULT_HANG, route="bundle")
    with pytest.raises(TransientError, match="ReadTimeout"):
        client.post_bundle(bundle)
    deadline = time.monotonic() + 3 * faults.hang_seconds
    while sandbox.bundles_accepted == 0 and time.monotonic() < deadline:
        time.sleep(0.02)

    client.post_bundle(bundle)
    assert sandbox.count() == 11 and sandbox.bundles_accepted == 2


def test_an_unreachable_server_is_transient(bundle):
    client = HealthDataClient("http://127.0.0.1:9/fhir", "http://127.0.0.1:9/oauth/token", "id", "secret",
                              timeout=(0.5, 0.5))
    with pytest.raises(TransientError):
        client.post_bundle(bundle)
