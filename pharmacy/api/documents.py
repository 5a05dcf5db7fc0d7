"""Schemas and helpers shared by the document endpoints (receipts, sales, issues)."""
from __future__ import annotations

from marshmallow import fields, validate

from ..errors import NotFound
from ..extensions import db
from ..stores.services import get_store, require_store_access
from .auth import actor
from .schemas import Base, Id


class DocumentListQuerySchema(Base):
    store_id = Id(strict=False)
    date_from = fields.Date()
    date_to = fields.Date()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class AllocationSchema(Base):
    lot = fields.String()
    expiry = fields.Date()
    quantity = fields.Integer()


def store_for_write(store_id: int):
    """The store named by a request body, after checking the caller works there."""
    store = get_store(db.session, store_id)
    require_store_access(actor(), store.id)
    return store


def document_for(model, document_id: int, label: str, *, field: str = "id"):
    """One document the caller may see, else 404 (never 403, so other stores' numbers do not leak)."""
    document = db.session.get(model, document_id)
    if document is None or not actor().can_access_store(document.store_id):
        raise NotFound(f"Không tìm thấy {label} #{document_id}.", field=field)
    return document
