"""Schemas and helpers shared by the document endpoints (receipts, sales, issues)."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from ..clock import FIRST_DAY, LAST_DAY
from ..documents import documents_query
from ..errors import Message, NotFound, msg
from ..extensions import db
from ..schemas import Base, Id
from ..stores.services import accessible_store_ids, get_store, require_store_access
from .auth import actor
from .pagination import PageArgsSchema, paginate


class DayRange(validate.Range):
    """A day from FIRST_DAY to LAST_DAY; the refusal is a sentence in the UI language (the domain's own)."""

    def __call__(self, value):
        try:
            return super().__call__(value)
        except ValidationError:
            raise ValidationError([msg("The date must be from %(first)s to %(last)s.", first=f"{FIRST_DAY:%d/%m/%Y}",
                                       last=f"{LAST_DAY:%d/%m/%Y}")]) from None


DAY_RANGE = DayRange(min=FIRST_DAY, max=LAST_DAY)


class DocumentListQuerySchema(PageArgsSchema):
    store_id = Id(strict=False)
    date_from = fields.Date(validate=DAY_RANGE, metadata={"description": "First local day (ISO 8601), inclusive."})
    date_to = fields.Date(validate=DAY_RANGE, metadata={"description": "Last local day (ISO 8601), inclusive."})

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(msg("The start date is after the end date."), "date_to")


def list_documents(model, args: dict, *where) -> dict:
    """One page of documents the caller may see, filtered by store and local dates (`DocumentListQuerySchema`) and
    any further conditions."""
    if args.get("store_id"):
        require_store_access(actor(), args["store_id"])
        store_ids = [args["store_id"]]
    else:
        store_ids = accessible_store_ids(actor())
    stmt = documents_query(model, store_ids=store_ids, date_from=args.get("date_from"), date_to=args.get("date_to"))
    return paginate(db.session, stmt.where(*where), args)


class AllocationSchema(Base):
    lot = fields.String()
    expiry = fields.Date()
    quantity = fields.Integer()


def store_for_write(store_id: int):
    """The store named by a request body, after checking the caller works there."""
    store = get_store(db.session, store_id)
    require_store_access(actor(), store.id)
    return store


def document_for(model, document_id: int, label: Message, *, field: str = "id"):
    """One document the caller may see, else 404 (never 403, so other stores' numbers do not leak)."""
    document = db.session.get(model, document_id)
    if document is None or not actor().can_access_store(document.store_id):
        raise NotFound(msg("%(document)s #%(id)s not found.", document=label, id=document_id), field=field)
    return document
