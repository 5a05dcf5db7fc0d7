"""Under random faults, a runner that checks before re-sending records every document exactly once."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from connectors.nationaldb.client import LegacyClient
from connectors.nationaldb.errors import TransientError, UnknownOutcomeError
from connectors.nationaldb.payloads import invoice_payload, receipt_payload
from connectors.sandboxes.kit import TRANSIENT_FAULTS, FaultPlan, ServedApp
from connectors.sandboxes.nationaldb.simulator import create_sandbox

from .conftest import FACILITY_CODE, PASSWORD, USERNAME

HANG = 0.3
MAX_ATTEMPTS = 40


@pytest.fixture
def flaky():
    faults = FaultPlan(rate=0.4, random_faults=TRANSIENT_FAULTS, seed=20250301, hang_seconds=HANG, retry_after=0)
    sandbox = create_sandbox({USERNAME: (PASSWORD, FACILITY_CODE)}, faults)
    served = ServedApp(sandbox)
    client = LegacyClient(served.url, USERNAME, PASSWORD, timeout=(1.0, HANG / 2))
    yield sandbox, client
    client.close()
    faults.clear()
    served.stop()


def send_once(post, settle):
    """A minimal runner: retry transient failures; after an unknown outcome, wait for the server, then `settle`."""
    uncertain = False
    for _ in range(MAX_ATTEMPTS):
        try:
            if uncertain:
                time.sleep(HANG * 1.5)  # the runner's backoff: a slow server finishes what it started
                if settle():
                    return
                uncertain = False
            post()
            return
        except UnknownOutcomeError:
            uncertain = True
        except TransientError:
            pass
    raise AssertionError("no success within the attempt budget")


def test_invoices_are_recorded_once_despite_faults(flaky, make_sale):
    sandbox, client = flaky
    numbers = [f"HD-CH01-{i:06d}" for i in range(12)]
    for number in numbers:
        payload = invoice_payload(make_sale(number=number))
        send_once(lambda p=payload: client.post_invoice(p),
                  lambda n=number: client.get_invoice(FACILITY_CODE, n))
    assert [sandbox.state.count("hoa_don", n) for n in numbers] == [1] * len(numbers)
    assert len(sandbox.faults.injected) > 5  # the faults really happened


def test_receipts_are_recorded_once_despite_faults(flaky, make_receipt):
    sandbox, client = flaky
    numbers = [f"PN-CH01-{i:06d}" for i in range(12)]

    def delete_then_resend(number):
        client.delete_receipt(FACILITY_CODE, number)  # safe to repeat; then the POST goes again
        return False

    for number in numbers:
        payload = receipt_payload(make_receipt(number=number))
        send_once(lambda p=payload: client.post_receipt(p), lambda n=number: delete_then_resend(n))
    assert [sandbox.state.count("phieu_nhap", n) for n in numbers] == [1] * len(numbers)


def test_one_client_shared_by_threads_logs_in_once(served, sandbox, make_sale):
    sales = [make_sale(number=f"HD-CH01-{i:06d}") for i in range(16)]
    with LegacyClient(served.url, USERNAME, PASSWORD, timeout=(1.0, 5.0)) as client:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda sale: client.post_invoice(invoice_payload(sale)), sales))
    assert [r.status for r in results] == [200] * 16
    assert sandbox.state.logins == 1
    assert len(sandbox.state.documents("hoa_don")) == 16


def test_a_token_invalidated_under_concurrency_is_renewed_once(served, sandbox, faults, make_sale):
    with LegacyClient(served.url, USERNAME, PASSWORD, timeout=(1.0, 5.0)) as client:
        client.get_invoice(FACILITY_CODE, "HD-0")
        faults.push("invalidate_token", route="post:hoa_don")
        sales = [replace(make_sale(), number=f"HD-CH01-{i:06d}") for i in range(8)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda sale: client.post_invoice(invoice_payload(sale)), sales))
    assert [r.status for r in results] == [200] * 8
    assert sandbox.state.logins == 2
