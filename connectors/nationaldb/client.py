"""HTTP client of the legacy "liên thông" national drug database API: login, token upkeep, documents."""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from connectors.nationaldb.errors import (
    BODY_LIMIT,
    AuthError,
    TokenRejectedError,
    classify_exception,
    classify_response,
    parse_body,
)
from connectors.nationaldb.payloads import INVOICE, ISSUE, RECEIPT

log = logging.getLogger(__name__)

LOGIN_PATH = "/api/tai_khoan/dang_nhap"
TOKEN_MAX_AGE = 12 * 3600  # seconds; tokens live about a day, so renew well before
NATIONAL_ID_KEYS = {
    INVOICE: "ma_hoa_don_quoc_gia",
    RECEIPT: "ma_phieu_nhap_quoc_gia",
    ISSUE: "ma_phieu_xuat_quoc_gia",
}


@dataclass(frozen=True)
class CallResult:
    """What one successful call answered, for the attempt log: HTTP status, national id, a short body."""

    status: int
    national_id: str | None = None
    body: str = ""
    found: bool = True  # False when a DELETE found nothing to delete (404)


class LegacyClient:
    """One store's connection to the legacy API. Thread-safe; keep one client per store so its token is reused.

    POSTs are never retried at the transport level: the server does not detect duplicates, so a POST whose outcome
    is unknown raises `UnknownOutcomeError` and the caller checks (GET / DELETE) before sending again.
    """

    def __init__(self, base_url: str, username: str, password: str, *, session: requests.Session | None = None,
                 timeout: tuple[float, float] | float = (3.05, 30), clock=time.monotonic):
        self.base_url = base_url.rstrip("/")
        self.username = username
        self._password = password
        self.timeout = timeout
        self.clock = clock
        self.session = session or _new_session()
        self._owns_session = session is None
        self._token: str | None = None
        self._token_at = 0.0
        self._token_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LegacyClient({self.base_url!r}, {self.username!r})"

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- documents -------------------------------------------------------------------------------------------

    def post_invoice(self, payload: dict) -> CallResult:
        return self._create(INVOICE, payload)

    def post_receipt(self, payload: dict) -> CallResult:
        return self._create(RECEIPT, payload)

    def post_issue(self, payload: dict) -> CallResult:
        return self._create(ISSUE, payload)

    def get_invoice(self, ma_co_so: str, ma_hoa_don: str) -> bool:
        """Whether the invoice is recorded nationally (200 = exists, 404 = not)."""
        return self.find_invoice(ma_co_so, ma_hoa_don) is not None

    def find_invoice(self, ma_co_so: str, ma_hoa_don: str) -> CallResult | None:
        """The recorded invoice with its national id (`ma_hoa_don_quoc_gia`, at the top or under `data`), or None
        when the national side does not have it (404)."""
        response = self._authorized("GET", _document_path(INVOICE, ma_co_so, ma_hoa_don))
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise classify_response(response)
        body = parse_body(response)
        body = body if isinstance(body, dict) else {}
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        national_id = body.get(NATIONAL_ID_KEYS[INVOICE]) or data.get(NATIONAL_ID_KEYS[INVOICE])
        return CallResult(200, str(national_id) if national_id else None, response.text[:BODY_LIMIT])

    def delete_invoice(self, ma_co_so: str, ma_hoa_don: str) -> CallResult:
        return self.delete(INVOICE, ma_co_so, ma_hoa_don)

    def delete_receipt(self, ma_co_so: str, ma_phieu: str) -> CallResult:
        return self.delete(RECEIPT, ma_co_so, ma_phieu)

    def delete_issue(self, ma_co_so: str, ma_phieu: str) -> CallResult:
        return self.delete(ISSUE, ma_co_so, ma_phieu)

    def delete(self, kind: str, ma_co_so: str, number: str) -> CallResult:
        """Cancel a document; safe to repeat. A 404 (never recorded) is not an error: `found` is False.

        The spec only promises HTTP 200 for a delete, so a 200 whose body has no `code` at all also counts.
        """
        response = self._authorized("DELETE", _document_path(kind, ma_co_so, number))
        if response.status_code == 404:
            return CallResult(404, None, response.text[:BODY_LIMIT], found=False)
        body = parse_body(response)
        if response.status_code == 200 and not (isinstance(body, dict) and "code" in body):
            return CallResult(200, None, response.text[:BODY_LIMIT])
        return self._result(response, kind)

    def _create(self, kind: str, payload: dict) -> CallResult:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return self._result(self._authorized("POST", f"/api/lien_thong/{kind}", data=body), kind)

    def _result(self, response: requests.Response, kind: str) -> CallResult:
        error = classify_response(response)
        if error is not None:
            raise error
        body = parse_body(response)
        national_id = body.get(NATIONAL_ID_KEYS[kind])
        return CallResult(response.status_code, str(national_id) if national_id else None,
                          response.text[:BODY_LIMIT])

    # --- token upkeep ----------------------------------------------------------------------------------------

    def _authorized(self, method: str, path: str, **kwargs) -> requests.Response:
        """Send with the cached token; on a 401 log in again once and repeat once (a 401 was not processed)."""
        token = self._current_token()
        response = self._send(method, path, token=token, **kwargs)
        if response.status_code != 401:
            return response
        log.info("national db: token refused on %s %s, logging in again", method, path)
        response = self._send(method, path, token=self._current_token(stale=token), **kwargs)
        if response.status_code == 401:
            raise classify_response(response) or TokenRejectedError("token refused", status=401)
        return response

    def _current_token(self, stale: str | None = None) -> str:
        """The cached token, after logging in if there is none, it is 12 h old, or it equals `stale`."""
        with self._token_lock:
            expired = self.clock() - self._token_at >= TOKEN_MAX_AGE
            if self._token is None or expired or self._token == stale:
                self._token = self._login()
                self._token_at = self.clock()
            return self._token

    def _login(self) -> str:
        credentials = {"usr": self.username, "pwd": self._password}
        response = self._send("POST", LOGIN_PATH, data=json.dumps(credentials, ensure_ascii=False).encode("utf-8"))
        error = classify_response(response, login=True)
        if error is not None:
            raise error
        data = (parse_body(response) or {}).get("data")
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise AuthError("login answered without data.token", status=response.status_code)
        log.info("national db: logged in as %s", self.username)
        return token

    def _send(self, method: str, path: str, *, token: str | None = None, data: bytes | None = None):
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        if token is not None:
            headers["Authorization"] = f"bearer {token}"
        try:
            response = self.session.request(method, self.base_url + path, data=data, headers=headers,
                                            timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            log.warning("national db: %s %s failed: %s", method, path, type(exc).__name__)
            raise classify_exception(exc) from exc
        log.debug("national db: %s %s -> %s", method, path, response.status_code)
        return response


def _document_path(kind: str, ma_co_so: str, number: str) -> str:
    return f"/api/lien_thong/{kind}/{quote(ma_co_so, safe='')}/{quote(number, safe='')}"


def _new_session() -> requests.Session:
    """A session whose adapters never retry on their own (a retried POST could be recorded twice)."""
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=Retry(total=0, connect=0, read=0, redirect=0, status=0, other=0))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
