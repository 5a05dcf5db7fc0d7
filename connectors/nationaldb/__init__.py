"""Connector for the legacy "liên thông" national drug database API (client, payload builders)."""
from connectors.documents import IncompleteDocumentError, NothingToReportError
from connectors.nationaldb.client import CallResult, LegacyClient
from connectors.nationaldb.errors import (
    AuthError,
    NationalDbError,
    RejectedError,
    TokenRejectedError,
    TransientError,
    UnknownOutcomeError,
    classify,
)
from connectors.nationaldb.payloads import delete_target, invoice_payload, issue_payload, receipt_payload

__all__ = [
    "AuthError", "CallResult", "IncompleteDocumentError", "LegacyClient", "NationalDbError", "NothingToReportError",
    "RejectedError", "TokenRejectedError", "TransientError", "UnknownOutcomeError", "classify", "delete_target",
    "invoice_payload", "issue_payload", "receipt_payload",
]
