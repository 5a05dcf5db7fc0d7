"""How a provider's answers map to the connectors' one error hierarchy (connectors/http_errors.py)."""
from __future__ import annotations

import re

import requests

from connectors.http_errors import (  # noqa: F401 - re-exported for the lane
    AuthError,
    ConnectorError,
    MalformedResponseError,
    RejectedError,
    TransientError,
    UnknownOutcomeError,
)

SYSTEM = "e-invoice provider"
# errorCodes that mean "try again later" (the series' numbering is busy, the system is overloaded); any other
# errorCode is a rejection a person must read.
TRANSIENT_CODES = ("INVOICE_SEQUENCE_BUSY", "SYSTEM_BUSY")


def remote_message(response: requests.Response) -> str:
    """The provider's own sentence: `description`/`message` of its JSON, or the title of an HTML page (maintenance)."""
    try:
        body = response.json()
    except ValueError:
        match = re.search(r"<title>(.*?)</title>", response.text or "", re.I | re.S)
        return match.group(1).strip() if match else ""
    if isinstance(body, dict):
        parts = [str(body.get(key)) for key in ("errorCode", "description", "message") if body.get(key)]
        return ": ".join(parts)
    return ""


def error_for_body(body: dict, *, status: int, detail: str) -> ConnectorError:
    """A 2xx answer carrying an errorCode: transient codes retry, others are rejections."""
    code = str(body.get("errorCode"))
    text = f"{SYSTEM}: {code}: {body.get('description') or ''}".rstrip(": ")
    if code in TRANSIENT_CODES:
        return TransientError(text, system=SYSTEM, status=status, detail=detail)
    return RejectedError(text, system=SYSTEM, status=status, detail=detail,
                         errors=[{"message": str(body.get("description") or code), "members": [code]}])
