"""Quarantine: move units of a lot apart from sellable stock, and release them back (base units)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import utcnow
from ..extensions import db
from ..schemas import Base, Id, Text
from ..stock.models import QUARANTINE, SELLABLE
from ..stock.quarantine import move_state
from .auth import actor
from .documents import store_for_write

blp = Blueprint("quarantine", __name__, url_prefix="/api/v1", description="Quarantine")


class StateLineInSchema(Base):
    product_id = Id(required=True)
    lot = fields.String(required=True, validate=validate.Length(min=1, max=50))
    expiry = fields.Date(metadata={"description": "Only needed when one lot number has two expiry dates."})
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10_000_000),
                              metadata={"description": "base units"})
    reason = Text(500, required=True)


class StateChangeInSchema(Base):
    store_id = Id(required=True)
    lines = fields.List(fields.Nested(StateLineInSchema), required=True, validate=validate.Length(min=1, max=200))


class StateChangeSchema(Base):
    id = fields.Integer()
    store_id = fields.Integer()
    product_id = fields.Integer()
    lot = fields.String()
    expiry = fields.Date()
    quantity = fields.Integer(metadata={"description": "base units moved"})
    to_state = fields.String()
    reason = fields.String()
    recall_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class StateChangesSchema(Base):
    items = fields.List(fields.Nested(StateChangeSchema))


def _move(data: dict, to_state: str) -> dict:
    store = store_for_write(data["store_id"])
    changes = move_state(db.session, store_id=store.id, lines=data["lines"], to_state=to_state, actor=actor(),
                         now=utcnow())
    db.session.commit()
    return {"items": changes}


@blp.route("/stock/quarantine")
class Quarantine(MethodView):
    @blp.arguments(StateChangeInSchema)
    @blp.response(201, StateChangesSchema)
    def post(self, data):
        """Move sellable units of named lots into quarantine: never picked, sold or transferred until released."""
        return _move(data, QUARANTINE)


@blp.route("/stock/release")
class Release(MethodView):
    @blp.arguments(StateChangeInSchema)
    @blp.response(201, StateChangesSchema)
    def post(self, data):
        """Release quarantined units back to sellable (refused for a recalled lot)."""
        return _move(data, SELLABLE)
