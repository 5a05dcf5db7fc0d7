"""Stores and users (owner only for changes; pharmacists see their own stores)."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..clock import utcnow
from ..einvoices.presets import PROVIDERS, presets
from ..errors import NotFound, msg
from ..extensions import db
from ..schemas import Base, Id, Patchable, Text, WholeNumber
from ..stores.models import NATIONAL_APIS, ROLES, Store, User
from ..stores.services import (
    accessible_store_ids,
    create_user,
    get_store,
    require_owner,
    require_store_access,
    save_store,
    update_user,
)
from .auth import actor
from .pagination import PageArgsSchema, page_of, paginate

blp = Blueprint("stores", __name__, url_prefix="/api/v1", description="Stores and users")


class StoreInSchema(Patchable):
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,20}$"))
    name = Text(200, required=True)
    address = Text(500)
    phone = Text(30)
    national_facility_code = Text(50)
    national_username = Text(50)
    national_password = fields.String(load_only=True, validate=validate.Length(max=30))
    national_api = fields.String(validate=validate.OneOf(NATIONAL_APIS))
    pharmacists_see_cost = fields.Boolean()
    require_shift = fields.Boolean(metadata={"description": "sell, refund and void only from an open cash shift"})
    bank_bin = fields.String(validate=validate.Regexp(r"^(\d{6})?$", error=str(msg("A bank BIN has 6 digits."))))
    bank_account = fields.String(validate=validate.Regexp(
        r"^[0-9A-Za-z]{0,19}$", error=str(msg("An account number has at most 19 letters or digits."))))
    bank_account_name = Text(100)
    pharmacist_max_discount_percent = WholeNumber(validate=validate.Range(min=0, max=100))
    einvoice_provider = fields.String(allow_none=True, validate=validate.OneOf(PROVIDERS),
                                      metadata={"description": "sandbox | viettel | null (e-invoices off)"})
    seller_tax_code = Text(14)
    einvoice_template = Text(2)
    einvoice_symbol = Text(6)
    einvoice_authority_code = Text(5)
    einvoice_rules = fields.String(validate=validate.OneOf(tuple(presets())))
    einvoice_username = Text(100)
    einvoice_password = fields.String(load_only=True, validate=validate.Length(max=100))


class StoreSchema(Base):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    address = fields.String()
    phone = fields.String()
    national_facility_code = fields.String()
    national_username = fields.String()
    national_api = fields.String()
    has_national_password = fields.Boolean()
    pharmacists_see_cost = fields.Boolean()
    require_shift = fields.Boolean(metadata={"description": "sell, refund and void only from an open cash shift"})
    bank_bin = fields.String()
    bank_account = fields.String()
    bank_account_name = fields.String()
    pharmacist_max_discount_percent = fields.Integer()
    einvoice_provider = fields.String(allow_none=True)
    seller_tax_code = fields.String()
    einvoice_template = fields.String()
    einvoice_symbol = fields.String()
    einvoice_authority_code = fields.String()
    einvoice_rules = fields.String()
    einvoice_username = fields.String()
    has_einvoice_password = fields.Boolean()


class UserInSchema(Base):
    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{3,50}$"))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=200))
    full_name = Text(200)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    store_ids = fields.List(Id(), load_default=list)
    licensed_pharmacist = fields.Boolean(load_default=False)


class UserPatchSchema(Patchable):
    password = fields.String(load_only=True, validate=validate.Length(min=8, max=200))
    full_name = Text(200)
    role = fields.String(validate=validate.OneOf(ROLES))
    store_ids = fields.List(Id())
    active = fields.Boolean()
    licensed_pharmacist = fields.Boolean()


class UserSchema(Base):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String()
    active = fields.Boolean()
    licensed_pharmacist = fields.Boolean()
    store_ids = fields.Function(lambda user: [store.id for store in user.stores])


def vault():
    return current_app.extensions["pharmacy.vault"]()


@blp.route("/stores")
class Stores(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(StoreSchema))
    def get(self, args):
        """Stores the caller may see."""
        ids = accessible_store_ids(actor())
        query = db.select(Store).order_by(Store.code)
        if ids is not None:
            query = query.where(Store.id.in_(ids))
        return paginate(db.session, query, args)

    @blp.arguments(StoreInSchema)
    @blp.response(201, StoreSchema)
    def post(self, data):
        """Create a store (owner). The national password is write-only and stored encrypted."""
        require_owner(actor())
        store = save_store(db.session, data, vault(), now=utcnow())
        db.session.commit()
        return store


@blp.route("/stores/<int:store_id>")
class StoreItem(MethodView):
    @blp.response(200, StoreSchema)
    def get(self, store_id):
        require_store_access(actor(), store_id)
        return get_store(db.session, store_id)

    @blp.arguments(StoreInSchema(partial=True), as_kwargs=False)
    @blp.response(200, StoreSchema)
    def patch(self, data, store_id):
        """Change a store (owner)."""
        require_owner(actor())
        store = save_store(db.session, data, vault(), get_store(db.session, store_id), now=utcnow())
        db.session.commit()
        return store


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(msg("User #%(id)s not found.", id=user_id), field="user_id")
    return user


@blp.route("/users")
class Users(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(UserSchema))
    def get(self, args):
        require_owner(actor())
        return paginate(db.session, db.select(User).order_by(User.username), args)

    @blp.arguments(UserInSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create a user (owner); pharmacists need at least one store."""
        require_owner(actor())
        user = create_user(db.session, **data)
        db.session.commit()
        return user


@blp.route("/users/<int:user_id>")
class UserItem(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id):
        if user_id != actor().id:
            require_owner(actor())
        return _user(user_id)

    @blp.arguments(UserPatchSchema(partial=True))
    @blp.response(200, UserSchema)
    def patch(self, data, user_id):
        require_owner(actor())
        user = update_user(db.session, _user(user_id), data, actor=actor())
        db.session.commit()
        return user
