"""A WSGI simulator of the CSDL Dược API v2 (login, master drugs, asynchronous transactions) with fault injection."""
from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from connectors.csdl_duoc.catalog import parse_time
from connectors.sandboxes.csdl_duoc.data import demo_drugs
from connectors.sandboxes.csdl_duoc.rules import validate_submission
from connectors.sandboxes.csdl_duoc.state import SandboxState
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

# Fault routes: pass one of these as `route` to FaultPlan.push to aim a fault at one kind of request.
ROUTE_LOGIN, ROUTE_DRUGS, ROUTE_SUBMIT, ROUTE_STATUS = "login", "drugs", "submit", "status"
MAX_PAGE_SIZE = 500
_KIND = "<any('stock-in', 'stock-out', 'stock-taking'):kind>"


class CsdlDuocSandbox:
    """The WSGI app; `state` (SandboxState) is the inspection and steering API, `faults` the FaultPlan in use."""

    url_map = Map([
        Rule("/auth/login", endpoint=ROUTE_LOGIN, methods=["POST"]),
        Rule("/master/drugs", endpoint=ROUTE_DRUGS, methods=["GET"]),
        Rule(f"/transactions/{_KIND}", endpoint=ROUTE_SUBMIT, methods=["POST"]),
        Rule(f"/transactions/{_KIND}/<transaction_id>/status", endpoint=ROUTE_STATUS, methods=["GET"]),
    ])

    def __init__(self, state: SandboxState, faults: FaultPlan | None = None):
        self.state = state
        self.faults = faults or FaultPlan()
        self._handlers = {ROUTE_LOGIN: self._login, ROUTE_DRUGS: self._drugs, ROUTE_SUBMIT: self._submit,
                          ROUTE_STATUS: self._status}

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            route, args = self.url_map.bind_to_environ(environ).match()
        except HTTPException as exc:
            return _json({"error": exc.name, "message": exc.description}, exc.code)(environ, start_response)
        fault = self.faults.take(route)
        response = self._fault_response(fault)
        if response is None:
            if fault == FAULT_HANG:
                self.faults.hang()  # then answer normally: the client has given up, the work is done anyway
            response = self._handlers[route](request, **args)
            if fault == FAULT_DROP_AFTER_STORE:
                return dropped_connection_response(start_response)
        return response(environ, start_response)

    def _fault_response(self, fault: str | None) -> Response | None:
        """The answer that replaces the work for faults that do nothing; None when the request is handled."""
        if fault in (FAULT_500, FAULT_503):
            return _json({"error": "server_error", "message": f"Lỗi máy chủ (sandbox {fault})"}, int(fault))
        if fault == FAULT_429:
            response = _json({"error": "too_many_requests", "message": "Quá nhiều yêu cầu"}, 429)
            response.headers["Retry-After"] = str(self.faults.retry_after)
            return response
        if fault == FAULT_INVALIDATE_TOKEN:
            self.state.forget_tokens()
            return _json({"error": "unauthorized", "message": "Token không hợp lệ"}, 401)
        if fault == FAULT_400_ENVELOPE:
            return _json({"error": "validation_error", "messages": ["items[0].quantity: sandbox validation fault"]},
                         400)
        return None

    # --- routes ---------------------------------------------------------------------------------------------------

    def _login(self, request: Request) -> Response:
        token = self.state.login(request.form.get("username", ""), request.form.get("password", ""))
        if token is None:
            return _json({"error": "invalid_grant", "message": "Sai tên đăng nhập hoặc mật khẩu"}, 401)
        return _json({"access_token": token, "token_type": "Bearer", "expires_in": self.state.token_lifetime})

    def _drugs(self, request: Request) -> Response:
        username = self._user(request)
        if username is None:
            return _unauthorized()
        args, errors = request.args, []
        page, page_size = _positive(args, "page", 1, errors), _positive(args, "page_size", 20, errors)
        if page_size > MAX_PAGE_SIZE:
            errors.append(f"page_size: tối đa {MAX_PAGE_SIZE}")
        bounds = {key: _time_arg(args, key, errors) for key in ("last_update_from", "last_update_to")}
        if errors:
            return _json({"error": "validation_error", "messages": errors}, 400)
        drugs = self.state.find_drugs(updated_from=bounds["last_update_from"], updated_to=bounds["last_update_to"],
                                      search=args.get("search"))
        start = (page - 1) * page_size
        return _json({"page": page, "total": len(drugs), "data": drugs[start:start + page_size]})

    def _submit(self, request: Request, kind: str) -> Response:
        username = self._user(request)
        if username is None:
            return _unauthorized()
        payload = request.get_json(silent=True)
        errors = validate_submission(kind, payload)
        if errors:
            return _json({"error": "validation_error", "messages": errors}, 400)
        transaction = self.state.record(username, kind, payload)
        return _json({"transaction_id": transaction.transaction_id, "status": transaction.status}, 202)

    def _status(self, request: Request, kind: str, transaction_id: str) -> Response:
        username = self._user(request)
        if username is None:
            return _unauthorized()
        transaction = self.state.poll(kind, transaction_id, username)
        if transaction is None:
            return _json({"error": "not_found", "message": f"Không tìm thấy giao dịch {transaction_id}"}, 404)
        return _json({"status": transaction.status, "messages": transaction.messages,
                      "submitted_at": transaction.submitted_at})

    def _user(self, request: Request) -> str | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return self.state.user_for(token.strip()) if scheme.lower() == "bearer" and token.strip() else None


def create_sandbox(accounts: dict[str, tuple[str, str]], drugs: list[dict] | None = None,
                   faults: FaultPlan | None = None, token_lifetime: int = 3600,
                   clock: Callable[[], float] = time.time, *, catalog_path: str | Path | None = None,
                   polls_to_finish: int = 2, seconds_to_finish: float | None = None) -> CsdlDuocSandbox:
    """A sandbox for `accounts` ({username: (password, facility_code)}); without `drugs`, the demo catalogue.

    `clock` is wall-clock seconds (token expiry, timestamps, `seconds_to_finish`).
    """
    state = SandboxState(accounts, demo_drugs(catalog_path) if drugs is None else drugs,
                         token_lifetime=token_lifetime, clock=clock, polls_to_finish=polls_to_finish,
                         seconds_to_finish=seconds_to_finish)
    return CsdlDuocSandbox(state, faults)


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")


def _unauthorized() -> Response:
    return _json({"error": "unauthorized", "message": "Token không hợp lệ hoặc đã hết hạn"}, 401)


def _positive(args, key: str, default: int, errors: list[str]) -> int:
    raw = args.get(key)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        errors.append(f"{key}: phải là số nguyên dương")
        return default
    return int(raw)


def _time_arg(args, key: str, errors: list[str]) -> datetime | None:
    raw = args.get(key)
    if not raw:
        return None
    moment = parse_time(re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw))  # an unencoded "+" in the offset arrives as " "
    if moment is None:
        errors.append(f"{key}: phải là thời điểm ISO 8601")
    return moment
