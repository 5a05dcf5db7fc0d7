"""Refreshing the local catalogue from CSDL Dược v2 with one store's account: the CLI command's and the job's work."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.csdl_duoc.catalog import fetch_catalog, watermark
from connectors.csdl_duoc.client import CsdlDuocClient
from pharmacy.catalog.national_sync import CatalogReport, apply_catalog, current_watermark
from pharmacy.errors import Invalid, msg
from pharmacy.stores.models import Store

log = logging.getLogger(__name__)
CATALOG_JOB_ID = "csdl_duoc.catalog"


def catalog_account(session: Session, store: Store | None) -> Store:
    """The store whose v2 account reads the catalogue (the catalogue is national: any v2 store will do)."""
    if store is None:
        store = session.execute(select(Store).where(
            Store.national_api == "v2", Store.national_username != "",
            Store.national_password_encrypted.is_not(None)).order_by(Store.id)).scalars().first()
        if store is None:
            raise Invalid(msg("No store uses CSDL Dược v2 with a national account yet."), field="store")
    if not store.national_username or not store.national_password_encrypted:
        raise Invalid(msg("Store %(code)s has no CSDL Dược v2 account yet.", code=store.code), field="store")
    return store


def sync_catalog(session: Session, *, base_url: str | None, vault, now: datetime, store: Store | None = None,
                 full: bool = False, page_size: int = 100, timeout=(3.05, 30)) -> CatalogReport:
    """Read the drugs changed since the stored watermark (all with `full`) and upsert them (flush; caller commits).

    The network read happens before any write, so a failure part-way changes nothing and the next run repeats it.
    """
    if not base_url:
        raise Invalid(msg("CSDL_DUOC_URL is not configured."), field="CSDL_DUOC_URL")
    store = catalog_account(session, store)
    since = None if full else current_watermark(session)
    with CsdlDuocClient(base_url, store.national_username, vault.decrypt(store.national_password_encrypted),
                        timeout=timeout) as client:
        records, skipped = fetch_catalog(client, since, page_size=page_size)
    return apply_catalog(session, records, now=now, watermark=watermark(records, since), skipped=skipped)


def catalog_job(service) -> CatalogReport | None:
    """The scheduled refresh (a plain function on the SyncService); never raises into the scheduler."""
    from pharmacy.clock import utcnow
    from pharmacy.extensions import db

    app = service.app
    with app.app_context():
        try:
            if db.session.execute(select(Store.id).where(Store.national_api == "v2")).first() is None:
                return None
            report = sync_catalog(db.session, base_url=app.config.get("CSDL_DUOC_URL"),
                                  vault=app.extensions["pharmacy.vault"](), now=utcnow())
            db.session.commit()
        except Exception:  # noqa: BLE001 - keep the schedule alive; the watermark did not move
            db.session.rollback()
            log.exception("catalogue refresh from CSDL Dược v2 failed")
            return None
    log.info("catalogue refresh from CSDL Dược v2: %s", report.summary())
    return report
