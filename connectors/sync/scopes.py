"""Which API a national outbox message goes to: a v2 store's messages from its opening balance on go to v2."""
from __future__ import annotations

from sqlalchemy import and_, exists, or_

from pharmacy.outbox.models import OutboxMessage
from pharmacy.outbox.services import NATIONAL_DRUG_DB
from pharmacy.stores.models import Store
from pharmacy.stores.opening import v2_boundary


def _store_api(api: str):
    return exists().where(Store.id == OutboxMessage.store_id, Store.national_api == api)


def v2_scope():
    """Messages of a store's current v2 period (from its opening balance on)."""
    return and_(OutboxMessage.target == NATIONAL_DRUG_DB, _store_api("v2"),
                OutboxMessage.id >= v2_boundary(OutboxMessage.store_id))


def legacy_scope():
    """Messages for the legacy API: a legacy store's, and a v2 store's written before it switched."""
    return and_(OutboxMessage.target == NATIONAL_DRUG_DB,
                or_(_store_api("legacy"), OutboxMessage.id < v2_boundary(OutboxMessage.store_id)))
