"""Asking the national drug database, when a person asks (the end-of-day reconciliation), whether each of a day's
documents is recorded there — not only what our sync recorded of its answers.

Legacy API: an invoice (hóa đơn) is looked up by its number; receipts and issues have no look-up there and stay
"not_verifiable", as does a voided sale (the void deletes its invoice). CSDL Dược v2: each transaction's status by
the id it was given ("completed" is recorded, "rejected"/"error" is not, anything else is still in progress).
A missing address or account, or a national side that does not answer, makes the rest "unreachable": the page says
so, it never fails.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.csdl_duoc.client import CsdlDuocClient
from connectors.http_errors import ConnectorError
from connectors.nationaldb.client import LegacyClient
from pharmacy.einvoices.reconciliation import national_messages
from pharmacy.errors import Conflict, msg
from pharmacy.outbox.models import OutboxMessage
from pharmacy.outbox.services import resend_lost
from pharmacy.security import CredentialVault
from pharmacy.stores.models import Store

from .lanes.legacy.lane import SETTING as LEGACY_SETTING
from .lanes.v2.plans import SETTING as V2_SETTING
from .lanes.v2.plans import V2_KINDS
from .scopes import v2_scope

FOUND, ABSENT, NOT_VERIFIABLE, UNREACHABLE, IN_PROGRESS = "found", "absent", "not_verifiable", "unreachable", \
    "in_progress"
V2_RECORDED, V2_REFUSED = frozenset({"completed"}), frozenset({"rejected", "error"})
TIMEOUT = (3.05, 10.0)


def day_presence(session: Session, store: Store, day: date, *, settings: Mapping,
                 vault: CredentialVault) -> dict[int, str]:
    """Ask about every document of the store's day that the sync recorded as sent."""
    ids = [message.id for message in national_messages(session, store, day) if message.status == "sent"]
    return national_presence(session, store, ids, settings=settings, vault=vault)


def national_presence(session: Session, store: Store, message_ids: Iterable[int], *, settings: Mapping,
                      vault: CredentialVault, timeout: tuple[float, float] = TIMEOUT) -> dict[int, str]:
    """message id → found | absent | not_verifiable | in_progress | unreachable, for the store's national messages."""
    ids = list(message_ids)
    if not ids:
        return {}
    messages = session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                               .order_by(OutboxMessage.id)).scalars().all()
    in_v2 = set(session.execute(select(OutboxMessage.id).where(OutboxMessage.id.in_(ids), v2_scope())).scalars())
    sales = [m.document_id for m in messages if m.document_type == "sale"]
    voided = set(session.execute(select(OutboxMessage.document_id).where(
        OutboxMessage.store_id == store.id, OutboxMessage.document_type == "sale_void",
        OutboxMessage.document_id.in_(sales), OutboxMessage.status == "sent")).scalars()) if sales else set()
    presence = {}
    legacy = [m for m in messages if m.id not in in_v2]
    for message in legacy:
        if message.document_type != "sale" or message.document_id in voided:
            presence[message.id] = NOT_VERIFIABLE
    presence.update(_ask(store, [m for m in legacy if m.id not in presence], _legacy_answer,
                         _legacy_client(store, settings, vault, timeout)))
    v2 = [m for m in messages if m.id in in_v2]
    for message in v2:
        if not message.remote_id or message.document_type not in V2_KINDS:
            presence[message.id] = NOT_VERIFIABLE
    presence.update(_ask(store, [m for m in v2 if m.id not in presence], _v2_answer,
                         _v2_client(store, settings, vault, timeout)))
    return presence


def resend_if_absent(session: Session, message: OutboxMessage, *, settings: Mapping, vault: CredentialVault,
                     actor: str, now) -> OutboxMessage:
    """One click on a document the national side lost: ask it again now, and only if it still does not have the
    document, send it again (flush only; the edge commits). Anything else is a 409 saying what the answer was."""
    store = session.get(Store, message.store_id)
    answer = national_presence(session, store, [message.id], settings=settings, vault=vault).get(message.id)
    if answer == FOUND:
        raise Conflict(msg("The national side has %(number)s: nothing to send again.", number=message.document_number),
                       field="status")
    if answer != ABSENT:
        raise Conflict(msg("The national side could not confirm that %(number)s is missing: ask again later.",
                           number=message.document_number), field="status")
    return resend_lost(session, message, actor=actor, now=now)


def _ask(store: Store, messages: list[OutboxMessage], answer, client) -> dict[int, str]:
    """Each message's answer, until the national side stops answering (then the rest are unreachable)."""
    found = {}
    if client is None:
        return {message.id: UNREACHABLE for message in messages}
    with client:
        for message in messages:
            try:
                found[message.id] = answer(client, store, message)
            except ConnectorError:
                break
    return {message.id: found.get(message.id, UNREACHABLE) for message in messages}


def _legacy_answer(client: LegacyClient, store: Store, message: OutboxMessage) -> str:
    recorded = client.find_invoice(store.national_facility_code or "", message.document_number)
    return FOUND if recorded is not None else ABSENT


def _v2_answer(client: CsdlDuocClient, store: Store, message: OutboxMessage) -> str:
    status = client.status(V2_KINDS[message.document_type], message.remote_id).status
    return FOUND if status in V2_RECORDED else ABSENT if status in V2_REFUSED else IN_PROGRESS


def _account(store: Store, vault: CredentialVault) -> tuple[str, str] | None:
    if not store.national_username or not store.national_password_encrypted:
        return None
    return store.national_username, vault.decrypt(store.national_password_encrypted)


def _legacy_client(store, settings, vault, timeout) -> LegacyClient | None:
    account = _account(store, vault)
    if not settings.get(LEGACY_SETTING) or account is None:
        return None
    return LegacyClient(settings[LEGACY_SETTING], *account, timeout=timeout)


def _v2_client(store, settings, vault, timeout) -> CsdlDuocClient | None:
    account = _account(store, vault)
    if not settings.get(V2_SETTING) or account is None:
        return None
    return CsdlDuocClient(settings[V2_SETTING], *account, timeout=timeout)
