"""One JSON error shape for the API: {"code", "message", "errors": {"lines[0].quantity": [...]}}."""
from __future__ import annotations

from datetime import date

from flask import jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_smorest import Api
from marshmallow import Schema, fields
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException

from ..errors import DomainError, Message, msg
from ..extensions import db
from ..presenters.messages import text, texts

MESSAGES = {
    400: msg("Invalid request."),
    401: msg("Sign in first."),
    403: msg("Not allowed."),
    404: msg("Not found."),
    405: msg("Method not supported."),
    409: msg("Data conflict, please try again."),
    413: msg("The data sent is too large."),
    415: msg("Send JSON."),
    422: msg("Invalid data."),
    429: msg("Too many requests."),
    500: msg("System error."),
}


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """webargs' nested {"json": {"lines": {"0": {"quantity": [..]}}}} → {"lines[0].quantity": [..]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if prefix == "" and key in ("json", "query", "form", "view_args", "files", "headers"):
                path = ""
            elif str(key).isdigit():
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten(value, path))
    elif isinstance(messages, list) and all(isinstance(item, (str, Message)) for item in messages):
        flat.setdefault(prefix or "body", []).extend(messages)
    elif isinstance(messages, list):
        for index, item in enumerate(messages):
            flat.update(flatten(item, f"{prefix}[{index}]"))
    else:
        flat.setdefault(prefix or "body", []).append(messages if isinstance(messages, Message) else str(messages))
    return flat


class ErrorSchema(Schema):
    """The one error shape of the API (documentation only: `error_response` builds it)."""

    code = fields.Integer(required=True, metadata={"description": "The HTTP status."})
    message = fields.String(required=True, metadata={"description": "One sentence for a person (UI language)."})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True, metadata={
        "description": "Field path (`lines[0].quantity`, `page`, `body`) → messages."})
    available = fields.List(fields.Dict(), metadata={"description": "Not enough stock: what each lot has."})
    offline = fields.Boolean(metadata={"description": "A national system is unreachable: record by hand."})
    returnable = fields.Dict(metadata={"description": "A return beyond what was sold: what may still come back."})
    remaining = fields.Integer(metadata={"description": "A prescription overfilled: what it still allows."})
    reason = fields.String(metadata={"description": "Scan box: why a code was refused (`check_digit`, "
                                                    "`unknown_code`, …)."})
    gtin = fields.String(allow_none=True, metadata={"description": "Scan box: the GTIN read from an unknown code."})
    lot = fields.String(allow_none=True, metadata={"description": "Scan box: the lot read from an unknown code."})
    expiry = fields.String(allow_none=True, metadata={"description": "Scan box: the expiry (ISO date) read from an "
                                                                     "unknown code."})
    decision_number = fields.String(metadata={"description": "A recalled lot (reason `recalled`): the recall "
                                                             "decision that stops it."})


# Extras a domain error may carry that the schema above documents; anything else (e.g. a remote system's raw
# answer) is logged, never sent.
DOCUMENTED_EXTRAS = ("available", "offline", "returnable", "remaining", "reason", "gtin", "lot", "expiry",
                     "decision_number")


class IsoJSONProvider(DefaultJSONProvider):
    """Dates and datetimes anywhere in a JSON answer (also inside free-form dicts) are ISO 8601, never Flask's
    default HTTP dates ("Wed, 15 Mar 1978 00:00:00 GMT")."""

    @staticmethod
    def default(o):
        if isinstance(o, date):  # datetime is a date too
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: int, message, errors: dict | None = None, **extra):
    """`message` and `errors` in the UI language (domain sentences and marshmallow's defaults translated)."""
    body = {"code": code, "message": text(message), "errors": texts(errors or {})}
    body.update({key: value for key, value in extra.items() if key in DOCUMENTED_EXTRAS})
    return jsonify(body), code


def error_page(code: int, message):
    return render_template("error.html", code=code, message=text(message)), code


def error_answer(code: int, message, errors: dict | None = None, **extra):
    """JSON under /api/, an HTML page everywhere else."""
    if wants_json():
        return error_response(code, message, errors, **extra)
    return error_page(code, message)


def schema_name(schema) -> str:
    """OpenAPI component names: StoreIn, and StoreInPatch for the partial variant used by PATCH."""
    from apispec.ext.marshmallow.common import resolve_schema_cls, resolve_schema_instance

    cls = resolve_schema_cls(schema)
    name = cls.__name__.removesuffix("Schema")
    instance = resolve_schema_instance(schema)
    if getattr(instance, "partial", False):
        name += "Patch"
    return name


def marshmallow_plugin():
    from apispec.ext.marshmallow import MarshmallowPlugin

    return MarshmallowPlugin(schema_name_resolver=schema_name)


class PharmacyApi(Api):
    """flask-smorest's Api, but HTML pages keep HTML error pages and every API error has our one shape."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):
        db.session.rollback()
        code = error.code or 500
        if not wants_json():
            response, status = error_page(code, MESSAGES.get(code, error.description))
            return response, status, _kept_headers(error)
        data = getattr(error, "data", None) or {}
        errors = flatten(data.get("messages") or data.get("errors") or {})
        message = data.get("message") or MESSAGES.get(code) or error.description
        if code == 400 and "body" not in errors and not errors:
            errors = {"body": [_bad_request_reason(error)]}
        response, status = error_response(code, message, errors)
        for name, value in _kept_headers(error):
            response.headers[name] = value
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        return response, status


def _bad_request_reason(error: HTTPException):
    """Why a 400 was refused, as a sentence: werkzeug's and Flask's own descriptions are technical English."""
    description = error.description or ""
    if description.startswith("Failed to decode JSON"):
        return msg("The body is not valid JSON.")
    return description if description and description != type(error).description else MESSAGES[400]


def _kept_headers(error: HTTPException) -> list[tuple[str, str]]:
    """Headers an HTTP error carries (`Allow` of a 405, `Retry-After`), without its own Content-Type."""
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def register_error_handlers(app) -> None:
    from .guards import refuse_deep_json

    app.json = IsoJSONProvider(app)
    app.before_request(refuse_deep_json)

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        db.session.rollback()
        if error.extra.get("detail"):
            app.logger.info("%s: %s", error, error.extra["detail"])
        return error_answer(error.status, error.message, error.errors, **error.extra)

    @app.errorhandler(IntegrityError)
    def _integrity_error(error):
        db.session.rollback()
        app.logger.warning("integrity error: %s", error.orig)
        return error_answer(409, msg("The data was changed at the same time or is a duplicate. Please try again."))

    @app.errorhandler(DBAPIError)
    def _database_error(error):
        db.session.rollback()
        app.logger.exception("database error")
        return error_answer(409 if "deadlock" in str(error.orig).lower() else 503,
                            msg("The database is busy. Please try again."))
