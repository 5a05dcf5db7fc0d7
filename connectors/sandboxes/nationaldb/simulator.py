"""A WSGI simulator of the legacy national drug database API, with an inspectable store and fault injection.

Fault routes (for `FaultPlan.push(fault, route=...)`): "login", "post:hoa_don", "post:phieu_nhap", "post:phieu_xuat",
"get:hoa_don", "delete:hoa_don", "delete:phieu_nhap", "delete:phieu_xuat".
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, replace

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from connectors.sandboxes.kit import (
    FAULT_400_ENVELOPE,
    FAULT_429,
    FAULT_500,
    FAULT_503,
    FAULT_DROP_AFTER_STORE,
    FAULT_HANG,
    FAULT_INVALIDATE_TOKEN,
    FaultPlan,
    dropped_connection_response,
)

from . import rules

KINDS = ("hoa_don", "phieu_nhap", "phieu_xuat")
_CREATED = {
    "hoa_don": ("Tạo hóa đơn thành công", "ma_hoa_don_quoc_gia"),
    "phieu_nhap": ("Tạo phiếu nhập thành công", "ma_phieu_nhap_quoc_gia"),
    "phieu_xuat": ("Tạo phiếu xuất thành công", "ma_phieu_xuat_quoc_gia"),
}
_DELETED = {"hoa_don": "Xóa hóa đơn thành công", "phieu_nhap": "Xóa phiếu nhập thành công",
            "phieu_xuat": "Xóa phiếu xuất thành công"}
_UNAUTHORIZED = {"success": False, "result": None, "unAuthorizedRequest": True, "__abp": True,
                 "error": {"code": 0, "message": "Current user did not login to the application!"}}
_INTERNAL = {"success": False, "result": None, "unAuthorizedRequest": False, "__abp": True,
             "error": {"code": 0, "message": "An internal error occurred during your request!"}}


@dataclass(frozen=True)
class StoredDocument:
    """One POST the sandbox recorded. Duplicates are separate records, as on the real server."""

    kind: str
    ma_co_so: str
    number: str
    payload: dict
    national_id: str
    account: str
    deleted: bool = False


class SandboxState:
    """The sandbox's memory: documents (duplicates counted), tokens, logins and a log of calls. Thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._documents: list[StoredDocument] = []
        self._tokens: dict[str, str] = {}
        self.logins = 0
        self.calls: list[tuple[str, str, int | str]] = []  # (method, path, status or fault name)

    def documents(self, kind: str | None = None, *, include_deleted: bool = True) -> list[StoredDocument]:
        with self._lock:
            return [doc for doc in self._documents
                    if (kind is None or doc.kind == kind) and (include_deleted or not doc.deleted)]

    def count(self, kind: str, number: str, *, include_deleted: bool = False) -> int:
        """How many times `number` is recorded (live records only unless `include_deleted`)."""
        return sum(doc.number == number for doc in self.documents(kind, include_deleted=include_deleted))

    def find(self, kind: str, ma_co_so: str, number: str) -> StoredDocument | None:
        """The first live record of a document, or None."""
        for doc in self.documents(kind, include_deleted=False):
            if doc.ma_co_so == ma_co_so and doc.number == number:
                return doc
        return None

    def store(self, doc: StoredDocument) -> None:
        with self._lock:
            self._documents.append(doc)

    def delete(self, kind: str, ma_co_so: str, number: str) -> bool:
        """Mark every record of the document deleted; False when it was never recorded."""
        with self._lock:
            hits = [i for i, doc in enumerate(self._documents)
                    if (doc.kind, doc.ma_co_so, doc.number) == (kind, ma_co_so, number)]
            for i in hits:
                self._documents[i] = replace(self._documents[i], deleted=True)
            return bool(hits)

    def issue_token(self, username: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = username
            self.logins += 1
        return token

    def account_for(self, token: str | None) -> str | None:
        with self._lock:
            return self._tokens.get(token) if token else None

    def forget_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def record_call(self, method: str, path: str, outcome: int | str) -> None:
        with self._lock:
            self.calls.append((method, path, outcome))


def _json(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=headers,
                    content_type="application/json; charset=utf-8")


class LegacySandbox:
    """The WSGI app. `state` is the in-memory store, `faults` the FaultPlan consulted on every request."""

    def __init__(self, accounts: dict[str, tuple[str, str]], faults: FaultPlan | None = None, clock=time.time):
        self.accounts = dict(accounts)
        self.faults = faults or FaultPlan()
        self.clock = clock
        self.state = SandboxState()
        self.url_map = Map([
            Rule("/api/tai_khoan/dang_nhap", methods=["POST"], endpoint="login"),
            Rule("/api/lien_thong/<any(hoa_don, phieu_nhap, phieu_xuat):kind>", methods=["POST"], endpoint="post"),
            Rule("/api/lien_thong/<any(hoa_don):kind>/<ma_co_so>/<number>", methods=["GET"], endpoint="get"),
            Rule("/api/lien_thong/<any(hoa_don, phieu_nhap, phieu_xuat):kind>/<ma_co_so>/<number>",
                 methods=["DELETE"], endpoint="delete"),
        ])

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            endpoint, args = self.url_map.bind_to_environ(environ).match()
        except HTTPException as exc:
            return _json({"message": exc.description}, exc.code)(environ, start_response)
        route = "login" if endpoint == "login" else f"{endpoint}:{args['kind']}"
        fault = self.faults.take(route)
        response = self._fault_response(fault)
        if response is None:
            if fault == FAULT_HANG:
                self.faults.hang()  # then answer normally: the client has given up by now
            response = self._handle(endpoint, request, args)
        if fault == FAULT_DROP_AFTER_STORE:
            self.state.record_call(request.method, request.path, fault)
            return dropped_connection_response(start_response)
        self.state.record_call(request.method, request.path, fault or response.status_code)
        return response(environ, start_response)

    def _fault_response(self, fault: str | None) -> Response | None:
        """The early answer of a fault that stops the request before any work, or None."""
        if fault == FAULT_500:
            return _json(_INTERNAL, 500)
        if fault == FAULT_503:
            return Response("Service Unavailable", status=503, content_type="text/html")
        if fault == FAULT_429:
            return _json({"message": "Too many requests"}, 429, {"Retry-After": str(self.faults.retry_after)})
        if fault == FAULT_INVALIDATE_TOKEN:
            self.state.forget_tokens()
            return _json(_UNAUTHORIZED, 401)
        if fault == FAULT_400_ENVELOPE:
            return _json(rules.envelope([{"message": "The Ma_co_so field is required.",
                                          "members": ["input.Ma_co_so"]}]), 400)
        if fault in (None, FAULT_HANG, FAULT_DROP_AFTER_STORE):
            return None
        raise ValueError(f"unknown fault {fault!r}")

    def _handle(self, endpoint: str, request: Request, args: dict) -> Response:
        if endpoint == "login":
            return self._login(request)
        account = self.state.account_for(_bearer(request))
        if account is None:
            return _json(_UNAUTHORIZED, 401)
        facility = self.accounts[account][1]
        if endpoint == "post":
            return self._post(args["kind"], request, account, facility)
        if args["ma_co_so"] != facility:
            return _json({"message": "Mã cơ sở không chính xác"}, 400)
        if endpoint == "get":
            doc = self.state.find(args["kind"], args["ma_co_so"], args["number"])
            if doc is None:
                return _json({"message": "Không tìm thấy hóa đơn"}, 404)
            return _json({"code": 200, "data": {**doc.payload, _CREATED[doc.kind][1]: doc.national_id}})
        if not self.state.delete(args["kind"], args["ma_co_so"], args["number"]):
            return _json({"message": "Không tìm thấy chứng từ"}, 404)
        return _json({"code": 200, "mess": _DELETED[args["kind"]]})

    def _login(self, request: Request) -> Response:
        data = _load(request)
        errors = rules.validate_fields(data, rules.LOGIN_RULES)
        if errors:
            return _json(rules.envelope(errors), 400)
        account = self.accounts.get(data["usr"])
        if account is None or not secrets.compare_digest(account[0].encode(), data["pwd"].encode()):
            return _json({"message": "Tên đăng nhập hoặc mật khẩu không đúng"}, 400)
        token = self.state.issue_token(data["usr"])
        return _json({"code": 200, "message": "Thành công", "data": {"token": token, "token_type": "bearer"}})

    def _post(self, kind: str, request: Request, account: str, facility: str) -> Response:
        data = _load(request)
        errors = rules.validate_document(kind, data)
        if errors:
            return _json(rules.envelope(errors), 400)
        problem = rules.business_problem(kind, data, facility)
        if problem:
            return _json({"message": problem}, 400)
        message, id_key = _CREATED[kind]
        national_id = f"{facility}.{int(self.clock())}"
        number = data[rules.NUMBER_KEYS[kind]]
        self.state.store(StoredDocument(kind, facility, number, data, national_id, account))
        return _json({"code": 200, "mess": message, id_key: national_id})


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _load(request: Request):
    try:
        return json.loads(request.get_data().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def create_sandbox(accounts: dict[str, tuple[str, str]], faults: FaultPlan | None = None,
                   clock=time.time) -> LegacySandbox:
    """A legacy API simulator. `accounts` maps username -> (password, facility code); inspect `.state`."""
    return LegacySandbox(accounts, faults, clock)
