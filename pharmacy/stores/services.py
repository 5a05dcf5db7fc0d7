"""Managing stores and users, and checking who may act where."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..einvoices.settings import apply_einvoice_settings
from ..errors import Conflict, Forbidden, Invalid, NotFound, msg
from ..payments.vietqr import check_bank_settings
from ..security import CredentialVault, hash_password
from .models import NATIONAL_APIS, ROLES, Store, User
from .opening import on_national_api_change

STORE_FIELDS = ("code", "name", "address", "phone", "national_facility_code", "national_username", "national_api",
                "pharmacists_see_cost", "require_shift", "bank_bin", "bank_account", "bank_account_name",
                "pharmacist_max_discount_percent")

ROLE_CHOICE = msg("The role must be owner or pharmacist.")
PASSWORD_LENGTH = msg("A password needs at least 8 characters.")


def get_store(session: Session, store_id: int, *, field: str = "store_id") -> Store:
    store = session.get(Store, store_id)
    if store is None:
        raise NotFound(msg("Store #%(id)s not found.", id=store_id), field=field)
    return store


def store_by_code(session: Session, code: str) -> Store | None:
    return session.execute(select(Store).where(Store.code == code)).scalars().first()


def require_store_access(actor: User, store_id: int, *, field: str = "store_id") -> None:
    if not actor.can_access_store(store_id):
        raise Forbidden(msg("You have no rights in this store."), field=field)


def require_owner(actor: User) -> None:
    if not actor.is_owner:
        raise Forbidden(msg("Only the pharmacy owner may do this."))


def accessible_store_ids(actor: User) -> list[int] | None:
    """None means every store (owners)."""
    return None if actor.is_owner else [store.id for store in actor.stores]


def save_store(session: Session, values: dict, vault: CredentialVault | None, store: Store | None = None, *,
               now: datetime | None = None) -> Store:
    """Create a store, or change one; the national password is write-only and stored encrypted.

    Moving a store to the CSDL Dược v2 API queues its opening balance (see stores/opening.py).
    """
    if "code" in values:
        other = store_by_code(session, values["code"])
        if other is not None and other is not store:
            raise Conflict(msg("Store code %(code)s already exists.", code=values["code"]), field="code")
    if values.get("national_api", "legacy") not in NATIONAL_APIS:
        raise Invalid(msg("Choose legacy or v2 only."), field="national_api")
    if values.get("bank_bin") or values.get("bank_account"):
        check_bank_settings(values.get("bank_bin", store.bank_bin if store else ""),
                            values.get("bank_account", store.bank_account if store else ""))
    previous_api = store.national_api if store is not None else None
    if store is None:
        store = Store(national_api="legacy")
        session.add(store)
    for key in STORE_FIELDS:
        if key in values:
            setattr(store, key, values[key])
    password = values.get("national_password")
    if password:
        if vault is None:
            raise Invalid(msg("The server has no CREDENTIALS_KEY configured."), field="national_password")
        store.national_password_encrypted = vault.encrypt(password)
    apply_einvoice_settings(store, values, vault)
    session.flush()
    if store.national_api != previous_api and "v2" in (store.national_api, previous_api):
        if now is None:
            raise TypeError("save_store needs `now` to change a store's national API")
        on_national_api_change(session, store, previous_api, now=now)
    return store


def create_user(
    session: Session, *, username: str, password: str, role: str, full_name: str = "", store_ids: list[int] = (),
    licensed_pharmacist: bool = False,
) -> User:
    if role not in ROLES:
        raise Invalid(ROLE_CHOICE, field="role")
    if len(password) < 8:
        raise Invalid(PASSWORD_LENGTH, field="password")
    if session.execute(select(User).where(User.username == username)).scalars().first() is not None:
        raise Conflict(msg("User name %(username)s already exists.", username=username), field="username")
    stores = [get_store(session, store_id, field="store_ids") for store_id in store_ids]
    if role == "pharmacist" and not stores:
        raise Invalid(msg("A pharmacist needs at least one store."), field="store_ids")
    user = User(username=username, full_name=full_name, role=role, password_hash=hash_password(password), stores=stores,
                licensed_pharmacist=licensed_pharmacist)
    session.add(user)
    session.flush()
    return user


def update_user(session: Session, user: User, values: dict, *, actor: User | None = None) -> User:
    """Change a user; an owner cannot deactivate or demote themselves (the chain would lose its last owner)."""
    if "role" in values and values["role"] not in ROLES:
        raise Invalid(ROLE_CHOICE, field="role")
    if actor is not None and actor.id == user.id:
        if values.get("active") is False:
            raise Invalid(msg("You cannot lock your own account."), field="active")
        if values.get("role", user.role) != user.role:
            raise Invalid(msg("You cannot change your own role."), field="role")
    for key in ("full_name", "role", "active", "licensed_pharmacist"):
        if key in values:
            setattr(user, key, values[key])
    if "store_ids" in values:
        user.stores = [get_store(session, store_id, field="store_ids") for store_id in values["store_ids"]]
    if values.get("password"):
        if len(values["password"]) < 8:
            raise Invalid(PASSWORD_LENGTH, field="password")
        user.password_hash = hash_password(values["password"])
        user.token_version += 1
    session.flush()
    return user
