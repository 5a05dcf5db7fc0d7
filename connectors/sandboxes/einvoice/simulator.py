"""A WSGI simulator of an e-invoice provider in Viettel SInvoice's JSON shapes: login (token as a cookie),
createInvoice, searchInvoiceByTransactionUuid; adjustments and replacements must name an issued original and
dates must stay chronological per series.

Fault routes (`FaultPlan.push(fault, route=...)`): "login", "create", "find". Faults: the kit's "500", "503",
"429", "hang" (the invoice is issued, the answer comes too late: timeout after commit), "drop_after_store",
"invalidate_token", and this provider's own: "reject" (400 with a message for a person), "sequence" (the series'
numbering is busy: try again) and "maintenance" (503 with an HTML page).
"""
from __future__ import annotations

import json
import re
import secrets

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from connectors.sandboxes.kit import (
    FAULT_429,
    FAULT_500,
    FAULT_503,
    FAULT_DROP_AFTER_STORE,
    FAULT_HANG,
    FAULT_INVALIDATE_TOKEN,
    FaultPlan,
    dropped_connection_response,
)

from .state import ProviderState

FAULT_REJECT, FAULT_SEQUENCE, FAULT_MAINTENANCE = "reject", "sequence", "maintenance"
FAULTS = (FAULT_500, FAULT_503, FAULT_HANG, FAULT_DROP_AFTER_STORE, FAULT_REJECT, FAULT_SEQUENCE, FAULT_MAINTENANCE)
API = "/services/einvoiceapplication/api/InvoiceAPI/InvoiceWS"
SERIES = re.compile(r"^[CK]\d{2}[A-Z][0-9A-Z]{2}$")
MAINTENANCE_PAGE = ("<!DOCTYPE html><html><head><title>Hệ thống đang bảo trì</title></head><body><h1>Hệ thống "
                    "hóa đơn điện tử đang bảo trì</h1><p>Vui lòng quay lại sau.</p></body></html>")


def _json(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=headers,
                    content_type="application/json; charset=utf-8")


def _error(code: str, description: str, status: int = 400) -> Response:
    return _json({"errorCode": code, "description": description, "result": None}, status)


class ProviderSandbox:
    """`accounts` maps username -> password (None: any non-empty password is accepted); inspect `.state`."""

    def __init__(self, accounts: dict[str, str] | None = None, faults: FaultPlan | None = None):
        self.accounts = accounts
        self.faults = faults or FaultPlan(random_faults=FAULTS)
        self.state = ProviderState()
        self.url_map = Map([
            Rule("/auth/login", methods=["POST"], endpoint="login"),
            Rule(f"{API}/createInvoice/<seller>", methods=["POST"], endpoint="create"),
            Rule(f"{API}/searchInvoiceByTransactionUuid", methods=["POST"], endpoint="find"),
        ])

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            endpoint, args = self.url_map.bind_to_environ(environ).match()
        except HTTPException as exc:
            return _json({"message": exc.description}, exc.code)(environ, start_response)
        fault = self.faults.take(endpoint)
        response = self._fault_response(fault)
        if response is None:
            response = self._handle(endpoint, request, args)
            if fault == FAULT_HANG:
                self.faults.hang()  # the invoice is issued; the client has given up waiting by now
        if fault == FAULT_DROP_AFTER_STORE:
            self.state.record_call(request.method, request.path, fault)
            return dropped_connection_response(start_response)
        self.state.record_call(request.method, request.path, fault or response.status_code)
        return response(environ, start_response)

    def _fault_response(self, fault: str | None) -> Response | None:
        if fault in (FAULT_500,):
            return _json({"code": 500, "message": "Internal Server Error"}, 500)
        if fault == FAULT_503:
            return _json({"code": 503, "message": "Service Unavailable"}, 503)
        if fault == FAULT_MAINTENANCE:
            return Response(MAINTENANCE_PAGE, status=503, content_type="text/html; charset=utf-8")
        if fault == FAULT_429:
            return _json({"message": "Too many requests"}, 429, {"Retry-After": str(self.faults.retry_after)})
        if fault == FAULT_INVALIDATE_TOKEN:
            self.state.forget_tokens()
            return _json({"code": 401, "message": "Unauthorized"}, 401)
        if fault == FAULT_REJECT:
            return _error("BUYER_INFO_INVALID", "Thông tin hóa đơn không hợp lệ (sandbox: lỗi từ chối giả lập).")
        if fault == FAULT_SEQUENCE:
            return _error("INVOICE_SEQUENCE_BUSY", "Dải số của ký hiệu hóa đơn đang được cấp, vui lòng thử lại.")
        if fault in (None, FAULT_HANG, FAULT_DROP_AFTER_STORE):
            return None
        raise ValueError(f"unknown fault {fault!r}")

    def _handle(self, endpoint: str, request: Request, args: dict) -> Response:
        if endpoint == "login":
            return self._login(request)
        if not self.state.valid(request.cookies.get("access_token")):
            return _json({"code": 401, "message": "Unauthorized"}, 401)
        if endpoint == "find":
            seller, key = request.form.get("supplierTaxCode", ""), request.form.get("transactionUuid", "")
            if not key:
                return _error("TRANSACTION_UUID_REQUIRED", "Thiếu transactionUuid.")
            return _json({"errorCode": None, "description": None,
                          "result": [inv.record() for inv in self.state.find(seller, key)]})
        return self._create(request, args["seller"])

    def _login(self, request: Request) -> Response:
        try:
            data = json.loads(request.get_data().decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if not isinstance(data, dict) or not data.get("username") or not data.get("password"):
            return _json({"code": 400, "message": "username, password are required"}, 400)
        expected = None if self.accounts is None else self.accounts.get(data["username"])
        if self.accounts is not None and (expected is None or not secrets.compare_digest(
                expected.encode(), str(data["password"]).encode())):
            return _json({"code": 401, "message": "Tên đăng nhập hoặc mật khẩu không đúng"}, 401)
        return _json({"access_token": self.state.issue_token(), "expires_in": 300, "token_type": "bearer"})

    def _create(self, request: Request, seller: str) -> Response:
        try:
            data = json.loads(request.get_data().decode("utf-8"))
            general, items = data["generalInvoiceInfo"], data["itemInfo"]
            key, series, issued = general["transactionUuid"], general["invoiceSeries"], general["invoiceIssuedDate"]
            adjustment = str(general.get("adjustmentType") or "1")
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            return _error("INVALID_REQUEST", "Dữ liệu hóa đơn không đúng cấu trúc.")
        if not SERIES.match(str(series)):
            return _error("INVOICE_SERIES_INVALID", f"Ký hiệu hóa đơn {series} không hợp lệ.")
        if data.get("sellerInfo", {}).get("sellerTaxCode") not in (None, seller):
            return _error("SELLER_TAX_CODE_MISMATCH", "Mã số thuế người bán không khớp.")
        problem = _check_items(items, adjustment)
        if problem:
            return _error("ITEM_INVALID", problem)
        original = general.get("originalInvoiceId")
        if adjustment != "1" and (not original or self.state.by_number(seller, original) is None):
            return _error("ORIGINAL_INVOICE_NOT_FOUND", f"Không tìm thấy hóa đơn gốc {original}.")
        total = int(data.get("summarizeInfo", {}).get("totalAmountWithTax") or 0)
        issued = self.state.issue(key=key, seller=seller, series=series, template=str(general.get("templateCode")),
                                  issued_ms=int(issued), adjustment_type=adjustment, original_number=original,
                                  total=total, payload=data)
        if isinstance(issued, str):
            return _error("INVOICE_ISSUED_DATE_INVALID", issued)
        return _json({"errorCode": None, "description": None,
                      "result": {"supplierTaxCode": seller, **issued.record()}})


def _check_items(items, adjustment: str) -> str | None:
    if not isinstance(items, list) or (adjustment == "1" and not items):
        return "Hóa đơn cần ít nhất một dòng hàng."
    for index, item in enumerate(items, start=1):
        try:
            without, tax, total = (int(item["itemTotalAmountWithoutTax"]), int(item["taxAmount"]),
                                   int(item["itemTotalAmountWithTax"]))
        except (KeyError, TypeError, ValueError):
            return f"Dòng {index}: thiếu thành tiền hoặc tiền thuế."
        if without + tax != total or not item.get("itemName"):
            return f"Dòng {index}: thành tiền chưa thuế cộng tiền thuế phải bằng thành tiền."
    return None


def create_sandbox(accounts: dict[str, str] | None = None, faults: FaultPlan | None = None) -> ProviderSandbox:
    return ProviderSandbox(accounts, faults)
