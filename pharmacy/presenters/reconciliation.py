"""The end-of-day reconciliation as the API answers it and the page shows it (one schema for both)."""
from __future__ import annotations

from marshmallow import fields

from ..schemas import Base, Id


class ReconciliationQuery(Base):
    store_id = Id(required=True, strict=False)
    date = fields.Date(required=True, metadata={"description": "the local (Asia/Ho_Chi_Minh) business day"})


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
    reason = fields.String(metadata={"description": "differing only: outcome_unknown | not_verifiable"})


class NationalDay(Base):
    local_count = fields.Integer()
    confirmed_count = fields.Integer()
    missing = fields.List(fields.Nested(NationalDocument))
    differing = fields.List(fields.Nested(NationalDocument))


class ReconciliationSchema(Base):
    store_id = fields.Integer()
    date = fields.Date()
    einvoice = fields.Nested(EInvoiceDay, allow_none=True, metadata={"description": "null: e-invoices off"})
    national = fields.Nested(NationalDay)
