"""Import and refresh products from the CSDL Dược v2 master drug list, matched by v2 id or registration number.

The records are connectors.csdl_duoc.catalog.CatalogRecord values (read here by attribute only, so this domain
module needs no connector import). National data is authoritative for regulatory fields; a pharmacy's own name,
prices and extra units and barcodes are kept.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..text import nfc
from .models import Barcode, CatalogSyncState, Product, ProductUnit
from .search import search_text_for
from .services import UnitSpec, create_product

SOURCE = "csdl_duoc_v2"
# product field <- record attribute; text fields are only overwritten by a non-empty national value
TEXT_FIELDS = {"registration_no": "registration_number", "active_ingredient": "active_ingredient",
               "strength": "strength", "manufacturer": "manufacturer", "country": "manufacturer_country"}


@dataclass
class CatalogReport:
    """What one import changed, for the person who ran it (and the scheduler's log)."""

    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)   # product name -> fields changed
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    watermark: datetime | None = None

    def summary(self) -> str:
        return (f"created {len(self.created)}, updated {len(self.updated)}, unchanged {self.unchanged}, "
                f"problems {len(self.problems)}")

    def lines(self) -> list[str]:
        out = [self.summary()]
        out += [f"+ {name} (inactive until it has a price)" for name in self.created]
        out += [f"~ {name}: {', '.join(fields)}" for name, fields in self.updated.items()]
        out += [f"! {problem}" for problem in self.problems]
        return out


def current_watermark(session: Session) -> datetime | None:
    """The last update time already imported (None before the first import); reads only."""
    state = session.get(CatalogSyncState, SOURCE)
    return state.watermark if state is not None else None


def sync_state(session: Session) -> CatalogSyncState:
    """The watermark row (created on first use, flushed)."""
    state = session.get(CatalogSyncState, SOURCE)
    if state is None:
        state = CatalogSyncState(source=SOURCE, last_summary="")
        session.add(state)
        session.flush()
    return state


def apply_catalog(session: Session, records: Iterable, *, now: datetime, watermark: datetime | None,
                  skipped: Iterable[str] = ()) -> CatalogReport:
    """Upsert every record, then store `watermark` for the next incremental refresh (flush only)."""
    report = CatalogReport(problems=[f"skipped: {reason}" for reason in skipped], watermark=watermark)
    for record in records:
        report.problems += [f"{record.name}: {problem}" for problem in record.problems]
        product = _match(session, record, report)
        if product is None:
            if not _is_ambiguous(session, record):
                _create(session, record, report)
            continue
        changed = _update(session, product, record, report)
        if changed:
            report.updated.setdefault(product.name, []).extend(changed)
        else:
            report.unchanged += 1
    state = sync_state(session)
    if watermark is not None and (state.watermark is None or watermark > state.watermark):
        state.watermark = watermark
    state.last_run_at, state.last_summary = now, report.summary()
    session.flush()
    return report


def _by_registration(session: Session, record) -> list[Product]:
    number = record.registration_number.strip()
    if not number:
        return []
    stmt = select(Product).where(func.lower(Product.registration_no) == number.lower(), Product.v2_drug_id.is_(None))
    return list(session.execute(stmt).scalars())


def _match(session: Session, record, report: CatalogReport) -> Product | None:
    """By v2 id, else the one local product with the same registration number (never a guess among several)."""
    product = session.execute(select(Product).where(Product.v2_drug_id == record.national_id)).scalars().first()
    if product is not None:
        return product
    candidates = _by_registration(session, record)
    if len(candidates) > 1:
        names = ", ".join(p.name for p in candidates)
        report.problems.append(f"{record.name} ({record.national_id}): several local products have registration "
                               f"number {record.registration_number} ({names}); link one by hand (v2_drug_id)")
        return None
    return candidates[0] if candidates else None


def _is_ambiguous(session: Session, record) -> bool:
    return len(_by_registration(session, record)) > 1


def _create(session: Session, record, report: CatalogReport) -> None:
    """A new product, inactive until the pharmacy gives it a price (the catalogue has none, and a 0 VND sale must not
    happen by accident). Its first packaging is taken as the base unit (the catalogue gives no factors), so the other
    packagings are listed for a person to add with their factors; a later full refresh links them."""
    if not record.units:
        report.problems.append(f"{record.name} ({record.national_id}): no packaging unit, not imported")
        return
    base = record.units[0]
    values = {"v2_drug_id": record.national_id, "name": nfc(record.name), "prescription_only": record.prescription_only,
              "special_control_type": record.special_control_type, "active": False}
    values |= {column: nfc(getattr(record, attribute)) for column, attribute in TEXT_FIELDS.items()}
    barcodes = [base.gtin] if base.gtin and _barcode_owner(session, base.gtin) is None else []
    if base.gtin and not barcodes:
        report.problems.append(f"{record.name}: GTIN {base.gtin} already belongs to another product; not added")
    product = create_product(session, values, [UnitSpec(nfc(base.unit_name).strip(), 1, 0, barcodes)])
    product.units[0].v2_unit_id = base.unit_id
    report.created.append(product.name)
    for unit in record.units[1:]:
        report.problems.append(f"{product.name}: unit {unit.unit_name} ({unit.unit_id}) needs its factor to the "
                               f"base unit {base.unit_name}: add it on the product, then run a full refresh")
    session.flush()


def _update(session: Session, product: Product, record, report: CatalogReport) -> list[str]:
    """Bring the regulatory fields, unit ids and GTINs up to date; returns the names of what changed."""
    changed = []
    wanted = {"v2_drug_id": record.national_id, "prescription_only": record.prescription_only,
              "special_control_type": record.special_control_type}
    wanted |= {column: nfc(getattr(record, attribute)).strip() for column, attribute in TEXT_FIELDS.items()
               if getattr(record, attribute).strip()}
    for column, value in wanted.items():
        if getattr(product, column) != value:
            setattr(product, column, value)
            changed.append(column)
    for packaging in record.units:
        unit = product.unit_named(nfc(packaging.unit_name))
        if unit is None:
            report.problems.append(f"{product.name}: the national unit {packaging.unit_name} ({packaging.unit_id}) "
                                   f"is not a unit of the local product")
            continue
        if unit.v2_unit_id != packaging.unit_id:
            unit.v2_unit_id = packaging.unit_id
            changed.append(f"{unit.name}.v2_unit_id")
        if packaging.gtin and _add_barcode(session, product, unit, packaging.gtin, report):
            changed.append(f"{unit.name}.barcode {packaging.gtin}")
    if changed:
        product.search_text = search_text_for(product)
        session.flush()
    return changed


def _barcode_owner(session: Session, code: str) -> Barcode | None:
    return session.execute(select(Barcode).where(Barcode.code == code)).scalars().first()


def _add_barcode(session: Session, product: Product, unit: ProductUnit, code: str, report: CatalogReport) -> bool:
    owner = _barcode_owner(session, code)
    if owner is not None:
        if owner.unit_id != unit.id:
            report.problems.append(f"{product.name}: GTIN {code} of {unit.name} already belongs to another unit "
                                   f"(#{owner.unit_id}); left as it is")
        return False
    unit.barcodes.append(Barcode(code=code))
    return True
