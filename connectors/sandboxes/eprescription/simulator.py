"""A WSGI simulator of the national e-prescription system, for tests and the demo (see national-systems.md §3)."""
from __future__ import annotations

import copy
import hmac
import json
import threading
from collections import Counter

from werkzeug.wrappers import Request, Response

from connectors.eprescription.client import LOOKUP_PATH, REPORT_PATH
from connectors.eprescription.codes import normalize_code
from connectors.sandboxes.kit import (
    FAULT_400_ENVELOPE,
    FAULT_429,
    FAULT_500,
    FAULT_503,
    FAULT_DROP_AFTER_STORE,
    FAULT_HANG,
    FaultPlan,
    dropped_connection_response,
)

from .prescriptions import demo_prescriptions

__all__ = ["EPrescriptionSandbox", "create_sandbox", "demo_prescriptions"]

LOOKUP_PREFIX = LOOKUP_PATH.split("{")[0]
REQUIRED_REPORT_FIELDS = ("ma_don_thuoc", "ma_hoa_don", "ma_dinh_danh_co_so_cung_ung_thuoc", "thong_tin_thuoc")


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class EPrescriptionSandbox:
    """The simulator: a WSGI callable plus inspection helpers for tests.

    Keeps each line's `so_luong_ban` (added up on every accepted report), records every accepted report in
    `reports` (duplicates included: the real system does not detect them) and every refusal in `refusals`.
    Faults are taken from `faults` per route: "lookup" or "report".
    """

    def __init__(self, app_name: str, app_key: str, prescriptions: dict | None = None,
                 faults: FaultPlan | None = None):
        self.app_name = app_name
        self._app_key = app_key
        self.faults = faults or FaultPlan()
        self.prescriptions: dict[str, dict] = {}
        self.reports: list[dict] = []
        self.refusals: list[tuple[int, str]] = []
        self._lock = threading.Lock()
        for body in (prescriptions or {}).values():
            self.add_prescription(body)

    # --- inspection -------------------------------------------------------------------------------------
    def add_prescription(self, body: dict) -> str:
        """Store a prescription (a lookup JSON dict); return its normalized code."""
        code = normalize_code(body["ma_don_thuoc"])
        with self._lock:
            self.prescriptions[code] = copy.deepcopy(body) | {"ma_don_thuoc": code}
        return code

    def sold(self, code: str, line_id) -> int:
        """The so_luong_ban recorded for one line."""
        with self._lock:
            return _find_line(self.prescriptions[normalize_code(code)], line_id).get("so_luong_ban", 0)

    def report_count(self, code: str, invoice: str | None = None) -> int:
        """How many reports were accepted for a prescription (and invoice): more than one means a duplicate."""
        code = normalize_code(code)
        with self._lock:
            return sum(1 for r in self.reports if r["ma_don_thuoc"] == code
                       and (invoice is None or r.get("ma_hoa_don") == invoice))

    def duplicates(self) -> dict[tuple[str, str], int]:
        """(prescription, invoice) pairs reported more than once, with their counts."""
        with self._lock:
            counts = Counter((r["ma_don_thuoc"], r.get("ma_hoa_don")) for r in self.reports)
        return {key: n for key, n in counts.items() if n > 1}

    # --- WSGI -------------------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.startswith(LOOKUP_PREFIX) and request.method == "GET":
            route = "lookup"
        elif request.path == REPORT_PATH and request.method == "POST":
            route = "report"
        else:
            return _json(404, {"message": "Not found"})(environ, start_response)
        if not self._authorized(request):
            return _json(401, {"message": "Sai app-name hoặc app-key"})(environ, start_response)
        fault = self.faults.take(route)
        early = _fault_response(fault, self.faults.retry_after)
        if early is not None:
            return early(environ, start_response)
        if fault == FAULT_HANG:
            self.faults.hang()
        response = self._lookup(request) if route == "lookup" else self._report(request)
        if fault == FAULT_DROP_AFTER_STORE:
            return dropped_connection_response(start_response)
        return response(environ, start_response)

    def _authorized(self, request: Request) -> bool:
        name = request.headers.get("app-name", "")
        key = request.headers.get("app-key", "")
        return name == self.app_name and hmac.compare_digest(key.encode(), self._app_key.encode())

    def _lookup(self, request: Request) -> Response:
        raw = request.path[len(LOOKUP_PREFIX):]
        try:
            code = normalize_code(raw)
        except ValueError:
            code = None
        with self._lock:
            body = copy.deepcopy(self.prescriptions.get(code)) if code else None
        if body is None:
            return _json(404, {"message": "Không tìm thấy đơn thuốc"})
        return _json(200, body)

    def _report(self, request: Request) -> Response:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return self._refuse(400, "Dữ liệu gửi lên không phải JSON hợp lệ")
        try:
            with self._lock:
                self._apply_report(payload)
        except _Refused as refused:
            return self._refuse(refused.status, refused.message)
        return _json(200, {"code": 200, "message": "Cập nhật thông tin bán thuốc thành công",
                           "ma_don_thuoc": payload["ma_don_thuoc"], "ma_hoa_don": payload["ma_hoa_don"]})

    def _apply_report(self, payload: dict) -> None:
        """Check the whole report first, then add the quantities: a refused report changes nothing."""
        missing = [name for name in REQUIRED_REPORT_FIELDS if not payload.get(name)]
        if missing:
            raise _Refused(422, "Thiếu thông tin: " + ", ".join(missing))
        try:
            code = normalize_code(str(payload["ma_don_thuoc"]))
        except ValueError:
            raise _Refused(404, "Không tìm thấy đơn thuốc") from None
        prescription = self.prescriptions.get(code)
        if prescription is None:
            raise _Refused(404, "Không tìm thấy đơn thuốc")
        if not isinstance(payload["thong_tin_thuoc"], list):
            raise _Refused(422, "thong_tin_thuoc phải là danh sách")
        added: Counter = Counter()
        for item in payload["thong_tin_thuoc"]:
            line_id = item.get("ma_thuoc_da_ke_don") if isinstance(item, dict) else None
            line = _find_line(prescription, line_id)
            if line is None:
                raise _Refused(422, f"Không tìm thấy thuốc đã kê đơn có mã {line_id!r} trong đơn {code}")
            quantity = item.get("so_luong_ban")
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
                raise _Refused(422, f"Số lượng bán của thuốc {line_id!r} không hợp lệ")
            added[str(line["id"])] += quantity
            if line.get("so_luong_ban", 0) + added[str(line["id"])] > line["so_luong"]:
                raise _Refused(422, f"Số lượng bán vượt quá số lượng kê đơn của thuốc {line.get('ten_thuoc', '')}"
                                    f" (kê {line['so_luong']}, đã bán {line.get('so_luong_ban', 0)})")
        for line_id, quantity in added.items():
            line = _find_line(prescription, line_id)
            line["so_luong_ban"] = line.get("so_luong_ban", 0) + quantity
        self.reports.append(copy.deepcopy(payload) | {"ma_don_thuoc": code})

    def _refuse(self, status: int, message: str) -> Response:
        with self._lock:
            self.refusals.append((status, message))
        return _json(status, {"message": message})


def create_sandbox(app_name: str, app_key: str, prescriptions: dict | None = None,
                   faults: FaultPlan | None = None) -> EPrescriptionSandbox:
    """A simulator accepting these credentials and knowing these prescriptions (none when None)."""
    return EPrescriptionSandbox(app_name, app_key, prescriptions, faults)


def _find_line(prescription: dict, line_id) -> dict | None:
    if line_id is None:
        return None
    for line in prescription.get("thong_tin_don_thuoc", []):
        if str(line.get("id")) == str(line_id):
            return line
    return None


def _fault_response(fault: str | None, retry_after: int) -> Response | None:
    """The answer for a fault that replaces the normal one, or None (no fault, hang or drop)."""
    if fault == FAULT_500:
        return _json(500, {"message": "Lỗi hệ thống"})
    if fault == FAULT_503:
        return _json(503, {"message": "Hệ thống đang bảo trì"})
    if fault == FAULT_429:
        response = _json(429, {"message": "Quá nhiều yêu cầu"})
        response.headers["Retry-After"] = str(retry_after)
        return response
    if fault == FAULT_400_ENVELOPE:
        return _json(400, {"success": False, "error": {"message": "Dữ liệu không hợp lệ", "validationErrors": []}})
    return None  # FAULT_INVALIDATE_TOKEN means nothing here: the app-key is static


def _json(status: int, body) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")
