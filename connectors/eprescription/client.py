"""HTTP client of the national e-prescription system: prescription lookup and the dispensing report."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import requests

from connectors import http_errors

from .codes import normalize_code
from .errors import REPORT_OVERRIDES, SYSTEM, MalformedResponseError, remote_message
from .models import Prescription, PrescriptionFormatError, parse_prescription

LOOKUP_PATH = "/api/v1/thong-tin-don-thuoc/{code}"
REPORT_PATH = "/api/v1/cap-nhat-don-thuoc"


@dataclass(frozen=True)
class DispenseReportResult:
    """The answer to an accepted dispensing report (HTTP 200 = recorded)."""

    status: int
    message: str
    raw: dict = field(compare=False, repr=False)


class EPrescriptionClient:
    """One client per vendor account; the app-key is sent as a header and never logged nor put in errors."""

    def __init__(self, base_url: str, app_name: str, app_key: str, *, session: requests.Session | None = None,
                 timeout: float | tuple[float, float] = (3.05, 15)):
        self.base_url = base_url.rstrip("/")
        self.app_name = app_name
        self._app_key = app_key
        self.session = session or requests.Session()
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"EPrescriptionClient({self.base_url!r}, app_name={self.app_name!r})"

    def lookup(self, code: str) -> Prescription:
        """Fetch a prescription by its code (normalized first; ValueError on a malformed code)."""
        code = normalize_code(code)
        response = self._send("GET", LOOKUP_PATH.format(code=quote(code, safe="")), action=f"lookup {code}",
                              idempotent=True)
        body = http_errors.json_body(response, system=SYSTEM, action=f"lookup {code}")
        if isinstance(body, dict) and "ma_don_thuoc" not in body and isinstance(body.get("data"), dict):
            body = body["data"]  # tolerate a {"data": {...}} envelope
        try:
            return parse_prescription(body)
        except PrescriptionFormatError as exc:
            raise MalformedResponseError(f"{SYSTEM}: lookup {code}: {exc}", system=SYSTEM,
                                         status=response.status_code, detail=response.text[:500]) from None

    def report_dispense(self, payload: dict) -> DispenseReportResult:
        """Report what was given against a prescription. Not idempotent: after UnknownOutcomeError, look up
        the prescription again (its so_luong_ban) before deciding to resend."""
        action = f"report {payload.get('ma_don_thuoc')}/{payload.get('ma_hoa_don')}"
        response = self._send("POST", REPORT_PATH, action=action, idempotent=False, overrides=REPORT_OVERRIDES,
                              json=payload)
        try:
            body = response.json()
        except ValueError:
            body = {}  # 200 means recorded, whatever the body says
        body = body if isinstance(body, dict) else {"body": body}
        message = body.get("message") or body.get("mess") or ""
        return DispenseReportResult(status=response.status_code, message=str(message), raw=body)

    def _send(self, method: str, path: str, *, action: str, idempotent: bool, overrides=None, **kwargs):
        headers = {"app-name": self.app_name, "app-key": self._app_key, "Accept": "application/json"}
        return http_errors.send(
            self.session, method, self.base_url + path, system=SYSTEM, action=action, idempotent=idempotent,
            message_reader=remote_message, overrides=overrides, headers=headers, timeout=self.timeout, **kwargs,
        )
