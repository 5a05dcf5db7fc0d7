"""The end-of-day reconciliation as the API answers it and the page shows it (one schema for both)."""
from __future__ import annotations

from marshmallow import fields

from ..schemas import Base, Id


class ReconciliationQuery(Base):
    store_id = Id(required=True, strict=False)
    date = fields.Date(required=True, metadata={"description": "the local (Asia/Ho_Chi_Minh) business day"})
    verify = fields.Boolean(load_default=False, metadata={
        "description": "ask the national drug database now (legacy: each invoice by look-up; v2: each "
                       "transaction's status) instead of reading the sync's recorded answers"})


class VatRateRow(Base):
    vat_rate = fields.Integer()
    sales_amount = fields.Integer()
    invoiced_amount = fields.Integer()


class MissingInvoice(Base):
    sale_id = fields.Integer()
    number = fields.String()
    total = fields.Integer()
    status = fields.String(metadata={"description": "the invoice message's status (none: never queued)"})
    message_id = fields.Integer(allow_none=True)


class Corrections(Base):
    count = fields.Integer()
    issued = fields.Integer()
    amount = fields.Integer()


class EInvoiceDay(Base):
    sales_count = fields.Integer()
    sales_total = fields.Integer()
    issued_count = fields.Integer()
    issued_total = fields.Integer()
    by_vat_rate = fields.List(fields.Nested(VatRateRow))
    missing = fields.List(fields.Nested(MissingInvoice))
    corrections = fields.Nested(Corrections)
    balanced = fields.Boolean()


class NationalDocument(Base):
    document_type = fields.String()
    number = fields.String()
    status = fields.String()
    message_id = fields.Integer()
    retryable = fields.Boolean(metadata={"description": "one-click resend: POST /api/v1/sync/messages/{id}/retry"})
    reason = fields.String(metadata={"description": "missing: absent (asked now: the national side does not have "
                                                    "it); differing: outcome_unknown | not_verifiable | in_progress "
                                                    "| unreachable"})


class NationalDay(Base):
    local_count = fields.Integer()
    confirmed_count = fields.Integer()
    missing = fields.List(fields.Nested(NationalDocument))
    differing = fields.List(fields.Nested(NationalDocument))
    verified = fields.Boolean(metadata={"description": "true: the national side was asked now (verify=true)"})


class JournalHeadDay(Base):
    seq = fields.Integer(metadata={"description": "the entry's number in the store's chain"})
    document_number = fields.String()
    kind = fields.String(metadata={"description": "sale | void | return | receipt | issue | transfer_… | "
                                                 "adjustment | store_price"})
    hash = fields.String(metadata={"description": "the entry's SHA-256, 64 hex digits"})
    at = fields.DateTime()
    store_code = fields.String()
    head = fields.Function(lambda h: f"{h['store_code']}:{h['seq']}:{h['document_number']}:{h['hash']}", metadata={
        "description": "STORE_CODE:SEQ:NUMBER:HASH as printed: `flask --app app audit verify --head …` checks the "
                       "chain against it (the newest entries deleted show even without the head file)"})


class ReconciliationSchema(Base):
    store_id = fields.Integer()
    date = fields.Date()
    einvoice = fields.Nested(EInvoiceDay, allow_none=True, metadata={"description": "null: e-invoices off"})
    national = fields.Nested(NationalDay)
    journal_head = fields.Nested(JournalHeadDay, allow_none=True, metadata={
        "description": "the store's tamper-evident journal head at the end of the day; null: nothing chained yet"})
