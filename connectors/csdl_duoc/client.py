"""HTTP client for the CSDL Dược API v2: login, asynchronous transactions and the master drug list."""
from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import requests

from connectors.csdl_duoc.errors import (
    LOGIN_OVERRIDES,
    SYSTEM,
    AuthError,
    MalformedResponseError,
    UnknownOutcomeError,
    message_list,
    read_messages,
)
from connectors.http_errors import json_body, send

KINDS = ("stock-in", "stock-out", "stock-taking")
TERMINAL_STATUSES = frozenset({"completed", "rejected", "error"})


@dataclass(frozen=True)
class StatusResult:
    """Where an asynchronous transaction stands; `terminal` means polling can stop."""

    status: str
    messages: tuple[str, ...]
    submitted_at: str | None
    terminal: bool


@dataclass(frozen=True)
class DrugPage:
    """One page of `/master/drugs`; `total` counts all matching drugs, not pages."""

    page: int
    total: int
    data: list[dict]


class CsdlDuocClient:
    """One store's account on the v2 API, for one thread at a time; the token is cached and renewed early.

    The API documents no lookup by reference number, so this client offers none: after an UnknownOutcomeError the
    document must wait for a person instead of being submitted again.
    """

    def __init__(self, base_url: str, username: str, password: str, *, session: requests.Session | None = None,
                 timeout: tuple[float, float] = (3.05, 30), clock: Callable[[], float] = time.monotonic,
                 renew_margin: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.username = username
        self._password = password
        self._session = session or requests.Session()
        self._owns_session = session is None
        self.timeout = timeout
        self._clock = clock
        self.renew_margin = renew_margin
        self._token: str | None = None
        self._renew_at = 0.0
        self.logins = 0

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> CsdlDuocClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:  # never show the password or the token
        return f"CsdlDuocClient({self.base_url!r}, {self.username!r})"

    # --- authentication -------------------------------------------------------------------------------------------

    def login(self) -> None:
        """Log in (form-encoded, password Base64-encoded); renew `renew_margin` seconds (at most half) before expiry."""
        form = {"username": self.username,
                "password": base64.b64encode(self._password.encode("utf-8")).decode("ascii")}
        response = send(self._session, "POST", f"{self.base_url}/auth/login", data=form, timeout=self.timeout,
                        system=SYSTEM, action="login", idempotent=True, message_reader=read_messages,
                        overrides=LOGIN_OVERRIDES)
        body = json_body(response, system=SYSTEM, action="login")
        token = body.get("access_token") if isinstance(body, dict) else None
        if not token:
            raise MalformedResponseError(f"{SYSTEM}: login answered without an access_token", system=SYSTEM,
                                         status=response.status_code)
        lifetime = float(body.get("expires_in") or 3600)
        self._token = token
        self._renew_at = self._clock() + lifetime - min(self.renew_margin, lifetime / 2)
        self.logins += 1

    def _request(self, method: str, path: str, *, action: str, idempotent: bool = True,
                 **kwargs) -> requests.Response:
        """Send with the cached token; on 401 log in again once and repeat (a 401 means nothing was stored)."""
        for attempt in (1, 2):
            if self._token is None or self._clock() >= self._renew_at:
                self.login()
            headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
            try:
                return send(self._session, method, f"{self.base_url}{path}", headers=headers, timeout=self.timeout,
                            system=SYSTEM, action=action, idempotent=idempotent, message_reader=read_messages,
                            **kwargs)
            except AuthError as exc:
                if exc.status != 401 or attempt == 2:
                    raise
                self._token = None
        raise AssertionError("unreachable")

    # --- transactions ---------------------------------------------------------------------------------------------

    def submit(self, kind: str, payload: dict) -> tuple[str, str]:
        """Submit a transaction; returns (transaction_id, status). Raises UnknownOutcomeError when it may be stored."""
        _check_kind(kind)
        action = f"submit {kind} {payload.get('reference_number', '')}".rstrip()
        response = self._request("POST", f"/transactions/{kind}", action=action, idempotent=False, json=payload)
        try:
            body = json_body(response, system=SYSTEM, action=action)
        except MalformedResponseError as exc:
            raise UnknownOutcomeError(str(exc), system=SYSTEM, status=response.status_code) from exc
        transaction_id = body.get("transaction_id") if isinstance(body, dict) else None
        if not transaction_id:
            raise UnknownOutcomeError(f"{SYSTEM}: {action}: answered without a transaction_id", system=SYSTEM,
                                      status=response.status_code, detail=response.text[:500])
        return str(transaction_id), str(body.get("status") or "accepted").strip().lower()

    def status(self, kind: str, transaction_id: str) -> StatusResult:
        """Poll one transaction; the status is returned lower-cased, so comparisons ignore the server's case."""
        _check_kind(kind)
        action = f"status {kind} {transaction_id}"
        response = self._request("GET", f"/transactions/{kind}/{transaction_id}/status", action=action)
        body = json_body(response, system=SYSTEM, action=action)
        status = str(body.get("status") or "").strip().lower() if isinstance(body, dict) else ""
        if not status:
            raise MalformedResponseError(f"{SYSTEM}: {action}: answered without a status", system=SYSTEM,
                                         status=response.status_code, detail=response.text[:500])
        messages = tuple(message_list(body.get("messages") or []))
        return StatusResult(status, messages, body.get("submitted_at"), status in TERMINAL_STATUSES)

    # --- master data ----------------------------------------------------------------------------------------------

    def drugs(self, page: int = 1, page_size: int = 100, last_update_from: datetime | str | None = None,
              last_update_to: datetime | str | None = None, search: str | None = None) -> DrugPage:
        """One page of the national drug list, optionally only drugs updated in [from, to] or matching `search`."""
        params = {"page": page, "page_size": page_size, "last_update_from": _iso(last_update_from),
                  "last_update_to": _iso(last_update_to), "search": search}
        response = self._request("GET", "/master/drugs", action=f"drugs page {page}",
                                 params={k: v for k, v in params.items() if v is not None})
        body = json_body(response, system=SYSTEM, action="drugs")
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise MalformedResponseError(f"{SYSTEM}: drugs: answer without a data list", system=SYSTEM,
                                         status=response.status_code, detail=response.text[:500])
        return DrugPage(int(body.get("page") or page), int(body.get("total") or 0), body["data"])

    def iter_drugs(self, last_update_from: datetime | str | None = None, page_size: int = 100, *,
                   last_update_to: datetime | str | None = None, search: str | None = None) -> Iterator[dict]:
        """Every matching drug over all pages; stops on an empty page or once `total` drugs were read."""
        page, seen = 1, 0
        while True:
            result = self.drugs(page, page_size, last_update_from, last_update_to, search)
            yield from result.data
            seen += len(result.data)
            if not result.data or seen >= result.total:
                return
            page += 1


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown transaction kind {kind!r}; expected one of {KINDS}")


def _iso(value: datetime | str | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value
