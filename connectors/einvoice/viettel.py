"""Viettel SInvoice (JSON REST), as compliance.md §4 describes it: login for a token carried as the
`access_token` cookie (about 5 minutes), createInvoice with our `transactionUuid`, searchInvoiceByTransactionUuid
to look an invoice up by that key before any resend, adjustments and replacements as creates linked to the original.

The sandbox provider (connectors/sandboxes/einvoice) speaks the same shapes, so this one client serves both.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone

import requests

from connectors import http_errors

from .document import InvoiceDocument, Issued
from .errors import (
    SYSTEM,
    TRANSIENT_CODES,
    AuthError,
    MalformedResponseError,
    RejectedError,
    TransientError,
    error_for_body,
    remote_message,
)

DEFAULT_ROOT = "https://api-vinvoice.viettel.vn"
API_PATH = "/services/einvoiceapplication/api/"
LOGIN_PATH = "/auth/login"
ADJUSTMENT_TYPES = {"original": "1", "replacement": "3", "adjustment": "5", "decrease": "5"}


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_millis(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return None


def invoice_payload(doc: InvoiceDocument) -> dict:
    """The createInvoice body for one document (an original, or a correction linked to its original)."""
    general = {"transactionUuid": doc.key, "invoiceType": doc.template, "templateCode": doc.template,
               "invoiceSeries": doc.symbol, "invoiceIssuedDate": millis(doc.issued_at), "currencyCode": "VND",
               "adjustmentType": ADJUSTMENT_TYPES[doc.kind], "paymentStatus": True, "cusGetInvoiceRight": True,
               "validation": 1}
    if doc.original is not None:
        general.update({"adjustmentInvoiceType": "1", "originalInvoiceId": doc.original.number,
                        "originalInvoiceIssueDate": millis(doc.original.issued_at),
                        "originalTemplateCode": doc.original.template,
                        "additionalReferenceDesc": f"{doc.kind} {doc.document_number}"})
    buyer = doc.buyer or {}
    buyer_info = {"buyerNotGetInvoice": 0 if buyer else 1, "buyerName": buyer.get("name", ""),
                  "buyerLegalName": buyer.get("name", "") if buyer.get("tax_code") else "",
                  "buyerTaxCode": buyer.get("tax_code", ""), "buyerIdNo": buyer.get("id_number", ""),
                  "buyerAddressLine": buyer.get("address", ""), "buyerEmail": buyer.get("email", ""),
                  "buyerPhoneNumber": buyer.get("phone", "")}
    items = [{"lineNumber": index, "itemCode": line.code, "itemName": line.name, "unitName": line.unit,
              "unitPrice": line.unit_price, "quantity": line.quantity,
              "itemTotalAmountWithoutTax": line.amount_without_tax, "taxPercentage": line.vat_rate,
              "taxAmount": line.tax_amount, "itemTotalAmountWithTax": line.amount, "discount": line.discount,
              **({} if doc.original is None else {"isIncreaseItem": line.increase})}
             for index, line in enumerate(doc.lines, start=1)]
    breakdown: dict[int, list[int]] = {}
    for line in doc.lines:
        sums = breakdown.setdefault(line.vat_rate, [0, 0])
        sign = 1 if line.increase else -1
        sums[0] += sign * line.amount_without_tax
        sums[1] += sign * line.tax_amount
    return {"generalInvoiceInfo": general, "buyerInfo": buyer_info,
            "sellerInfo": {"sellerTaxCode": doc.seller_tax_code, "sellerLegalName": doc.seller_name,
                           "sellerAddressLine": doc.seller_address},
            "payments": [{"paymentMethodName": doc.payment_method}], "itemInfo": items,
            "taxBreakdowns": [{"taxPercentage": rate, "taxableAmount": sums[0], "taxAmount": sums[1]}
                              for rate, sums in sorted(breakdown.items())],
            "summarizeInfo": {"totalAmountWithTax": doc.total}}


def issued_from(record: dict, *, status: int, body: str) -> Issued:
    if not isinstance(record, dict) or not record.get("invoiceNo"):
        raise MalformedResponseError(f"{SYSTEM}: an answer without invoiceNo", system=SYSTEM, status=status,
                                     detail=body)
    return Issued(number=str(record["invoiceNo"]), mtt_code=record.get("codeOfTax") or None,
                  lookup_code=record.get("reservationCode") or None,
                  issued_at=from_millis(record.get("issueDate")), status=status, body=body[:500])


class ViettelClient:
    """One seller account. The token is cached and renewed early; a 401 logs in again once and retries once."""

    def __init__(self, root_url: str | None, username: str, password: str, tax_code: str, *,
                 session: requests.Session | None = None, timeout=(3.05, 90),
                 clock: Callable[[], float] = time.monotonic, token_margin: float = 30.0):
        self.root = (root_url or DEFAULT_ROOT).rstrip("/")
        self.username, self._password, self.tax_code = username, password, tax_code
        self.session = session or requests.Session()
        self.timeout, self.clock, self.token_margin = timeout, clock, token_margin
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    # --- the interface ---------------------------------------------------------------------------------------------

    def create(self, document: InvoiceDocument) -> Issued:
        """Issue one invoice. Not idempotent on the wire: after an unknown outcome, `find` by the key first."""
        response = self._api("POST", f"InvoiceAPI/InvoiceWS/createInvoice/{self.tax_code}",
                             action=f"create {document.kind} {document.document_number}", idempotent=False,
                             json=invoice_payload(document))
        body = self._body(response, "create")
        return issued_from(body.get("result"), status=response.status_code, body=response.text)

    def find(self, key: str) -> Issued | None:
        """The invoice issued with our key, or None when the provider has none."""
        response = self._api("POST", "InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid", action=f"find {key}",
                             idempotent=True, data={"supplierTaxCode": self.tax_code, "transactionUuid": key})
        try:
            body = self._body(response, "find")
        except RejectedError as error:
            if "NOT_FOUND" in error.message.upper():
                return None
            raise
        found = body.get("result") or []
        found = found if isinstance(found, list) else [found]
        return issued_from(found[0], status=response.status_code, body=response.text) if found else None

    status = find  # the status of an invoice is what the look-up by key shows

    # --- wire ------------------------------------------------------------------------------------------------------

    def _body(self, response: requests.Response, action: str) -> dict:
        body = http_errors.json_body(response, system=SYSTEM, action=action)
        if not isinstance(body, dict):
            raise MalformedResponseError(f"{SYSTEM}: {action}: not a JSON object", system=SYSTEM,
                                         status=response.status_code, detail=response.text)
        if body.get("errorCode"):
            raise error_for_body(body, status=response.status_code, detail=response.text)
        return body

    def _api(self, method: str, path: str, *, action: str, idempotent: bool, **kwargs) -> requests.Response:
        for attempt in (1, 2):
            token = self._login()
            try:
                return self._send(method, self.root + API_PATH + path, action=action, idempotent=idempotent,
                                  cookies={"access_token": token}, **kwargs)
            except AuthError:
                with self._lock:
                    self._token = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _login(self) -> str:
        with self._lock:
            if self._token and self.clock() < self._expires - self.token_margin:
                return self._token
            response = self._send("POST", self.root + LOGIN_PATH, action="login", idempotent=True,
                                  json={"username": self.username, "password": self._password})
            body = http_errors.json_body(response, system=SYSTEM, action="login")
            token = body.get("access_token") if isinstance(body, dict) else None
            if not token:
                raise AuthError(f"{SYSTEM}: login refused: {remote_message(response)}", system=SYSTEM,
                                status=response.status_code, detail=response.text[:500])
            self._token = token
            self._expires = self.clock() + float(body.get("expires_in") or 300)
            return token

    def _send(self, method: str, url: str, *, action: str, idempotent: bool, **kwargs) -> requests.Response:
        try:
            return http_errors.send(self.session, method, url, system=SYSTEM, action=action, idempotent=idempotent,
                                    message_reader=remote_message, timeout=self.timeout,
                                    headers={"Accept": "application/json"}, **kwargs)
        except RejectedError as error:  # a 4xx whose errorCode means "later", e.g. the series' numbering is busy
            try:
                code = json.loads(error.detail or "{}").get("errorCode")
            except (ValueError, AttributeError):
                code = None
            if code in TRANSIENT_CODES:
                raise TransientError(error.message, system=SYSTEM, status=error.status, detail=error.detail) from None
            raise
