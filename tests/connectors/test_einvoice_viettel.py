"""The Viettel SInvoice client against the sandbox provider, which answers in Viettel's shapes: login token as a
cookie (re-login once on 401), createInvoice / searchInvoiceByTransactionUuid, the adjustment fields, and each
fault mapped to the connectors' one error table (HTML maintenance page, sequence busy, rejection, timeout)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from connectors.einvoice.document import InvoiceDocument, InvoiceLine, OriginalRef
from connectors.einvoice.errors import AuthError, RejectedError, TransientError, UnknownOutcomeError
from connectors.einvoice.providers import Account, account_for, client_for
from connectors.einvoice.viettel import DEFAULT_ROOT, ViettelClient, invoice_payload
from connectors.sandboxes.einvoice.simulator import create_sandbox
from connectors.sandboxes.kit import FaultPlan, ServedApp

WHEN = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
LINE = InvoiceLine("TQG900001", "Paracetamol 500mg", "Viên", 500, 2, 1000, 5, 952, 48)


def document(key="0c6f1d1e-0000-4000-8000-000000000001", **changes) -> InvoiceDocument:
    values = {"key": key, "kind": "original", "seller_tax_code": "0312345678", "seller_name": "Nhà thuốc A",
              "seller_address": "1 Lê Lợi", "template": "1", "symbol": "C26MAA", "issued_at": WHEN,
              "payment_method": "TM", "buyer": None, "lines": (LINE,), "total": 1000, "document_number": "HD-1"}
    return InvoiceDocument(**{**values, **changes})


@pytest.fixture
def provider():
    faults = FaultPlan(hang_seconds=0.6)
    simulator = create_sandbox({"0312345678": "vt-pass"}, faults)
    served = ServedApp(simulator, threads=4)
    served.simulator = simulator
    yield served
    served.stop()


def client(provider, password="vt-pass") -> ViettelClient:
    return ViettelClient(provider.url, "0312345678", password, "0312345678", timeout=(1.0, 0.4))


def test_create_then_find_by_key_and_adjust_the_original(provider):
    viettel = client(provider)
    issued = viettel.create(document())
    assert issued.number == "C26MAA1" and issued.mtt_code.startswith("M1-26-") and issued.lookup_code
    found = viettel.find(document().key)
    assert (found.number, found.mtt_code, found.lookup_code) == (issued.number, issued.mtt_code, issued.lookup_code)
    assert viettel.find("no-such-key") is None
    adjustment = document(key="0c6f1d1e-0000-4000-8000-000000000002", kind="adjustment", total=-1000,
                          lines=(InvoiceLine(**{**LINE.__dict__, "increase": False}),),
                          original=OriginalRef(issued.number, WHEN, "1", "C26MAA"))
    assert viettel.create(adjustment).number == "C26MAA2"
    body = provider.simulator.state.invoices()[1].payload
    general = body["generalInvoiceInfo"]
    assert (general["adjustmentType"], general["adjustmentInvoiceType"], general["originalInvoiceId"]) == (
        "5", "1", "C26MAA1")
    assert body["itemInfo"][0]["isIncreaseItem"] is False
    assert provider.simulator.state.logins == 1  # the token is cached


def test_payload_shapes_of_a_walk_in_and_a_business_buyer():
    walk_in = invoice_payload(document())
    assert walk_in["buyerInfo"]["buyerNotGetInvoice"] == 1
    assert walk_in["generalInvoiceInfo"]["invoiceIssuedDate"] == int(WHEN.timestamp() * 1000)
    assert walk_in["taxBreakdowns"] == [{"taxPercentage": 5, "taxableAmount": 952, "taxAmount": 48}]
    business = invoice_payload(document(buyer={"tax_code": "0109876543", "name": "Công ty A", "address": "HN"}))
    assert business["buyerInfo"]["buyerTaxCode"] == "0109876543" and business["buyerInfo"]["buyerNotGetInvoice"] == 0


@pytest.mark.parametrize(("fault", "error"), [("maintenance", TransientError), ("sequence", TransientError),
                                              ("500", TransientError), ("reject", RejectedError),
                                              ("hang", UnknownOutcomeError)])
def test_each_fault_maps_to_its_error(provider, fault, error):
    viettel = client(provider)
    viettel.find("warm-up")  # log in first
    provider.simulator.faults.push(fault, route="create")
    with pytest.raises(error) as raised:
        viettel.create(document())
    if fault == "maintenance":
        assert "bảo trì" in raised.value.message
    if fault == "reject":
        assert "sandbox: lỗi từ chối giả lập" in raised.value.message


def test_a_revoked_token_logs_in_again_once_and_bad_credentials_are_refused(provider):
    viettel = client(provider)
    viettel.find("warm-up")
    provider.simulator.faults.push("invalidate_token", route="find")
    assert viettel.find("x") is None and provider.simulator.state.logins == 2
    with pytest.raises(AuthError):
        client(provider, password="wrong").find("x")


def test_einvoice_url_overrides_the_viettel_address_and_the_sandbox_uses_its_own_account():
    settings = {"EINVOICE_URL": "http://10.0.0.5:8080", "EINVOICE_SANDBOX_URL": "http://127.0.0.1:9",
                "EINVOICE_SANDBOX_USERNAME": "demo", "EINVOICE_SANDBOX_PASSWORD": "pw"}
    assert account_for("viettel", settings, "u", "enc", "0312345678").root_url == "http://10.0.0.5:8080"
    assert account_for("viettel", {}, "u", "enc", "0312345678").root_url == DEFAULT_ROOT
    sandbox = account_for("sandbox", settings, "ignored", "enc", "0312345678")
    assert sandbox == Account("sandbox", "http://127.0.0.1:9", "demo", None, "0312345678")
    assert client_for(sandbox, settings, None, session=None, timeout=1)._password == "pw"
