"""Creating, changing and finding products, units and barcodes."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Conflict, Invalid, NotFound, msg
from ..scanning.labels import internal_code
from ..text import nfc
from .models import Barcode, Product, ProductUnit
from .rules import check_product
from .search import search_text_for

PRODUCT_FIELDS = (
    "national_code", "v2_drug_id", "name", "active_ingredient", "strength", "dosage_form", "route",
    "registration_no", "manufacturer", "country", "dosage", "prescription_only", "special_control_type", "active",
    "category_id", "vat_rate",
)


@dataclass
class UnitSpec:
    name: str
    factor: int
    price: int
    barcodes: list[str] = field(default_factory=list)
    is_base: bool | None = None  # default: the first unit with factor 1


def get_product(session: Session, product_id: int, *, field: str = "product_id") -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(msg("Product #%(id)s not found.", id=product_id), field=field)
    return product


def find_by_barcode(session: Session, code: str) -> tuple[Product, ProductUnit] | None:
    stmt = select(Barcode).where(Barcode.code == code.strip())
    barcode = session.execute(stmt).scalars().first()
    if barcode is None:
        return None
    return barcode.unit.product, barcode.unit


def find_by_national_code(session: Session, code: str) -> Product | None:
    return session.execute(select(Product).where(Product.national_code == code.strip())).scalars().first()


def _check_units(units: list[UnitSpec]) -> None:
    names = [nfc(unit.name).strip().casefold() for unit in units]
    if not units:
        raise Invalid(msg("A product needs at least one unit."), field="units")
    if not any(unit.factor == 1 for unit in units):
        raise Invalid(msg("A base unit (factor 1) is needed."), field="units")
    if any(unit.is_base and unit.factor != 1 for unit in units) or sum(1 for u in units if u.is_base) > 1:
        raise Invalid(msg("Only one base unit, and its factor is 1."), field="units")
    if len(set(names)) != len(names):
        raise Invalid(msg("Duplicate unit name."), field="units")
    codes = [code for unit in units for code in unit.barcodes]
    if len(set(codes)) != len(codes):
        raise Invalid(msg("Duplicate barcode."), field="units")


def _base_unit_name(units: list[UnitSpec]) -> str:
    chosen = next((u for u in units if u.is_base), None) or next(u for u in units if u.factor == 1)
    return nfc(chosen.name).strip().casefold()


def _barcode_owner(session: Session, code: str) -> Barcode | None:
    return session.execute(select(Barcode).where(Barcode.code == code)).scalars().first()


def _apply_units(
    session: Session, product: Product, units: list[UnitSpec], *, replace: bool = True, keep_prices: bool = False
) -> None:
    """Set the product's units and barcodes, keeping unit rows whose name survives.

    `replace=False` (catalogue re-import) keeps local units and barcodes the file does not mention;
    `keep_prices=True` keeps the prices a pharmacy set on units it already has.
    """
    existing = {unit.name.casefold(): unit for unit in product.units}
    if replace:
        _check_units(units)
        wanted = {nfc(spec.name).strip().casefold(): spec for spec in units}
        for key, unit in list(existing.items()):
            if key not in wanted:
                product.units.remove(unit)
        session.flush()
    base_name = _base_unit_name(units)
    for index, spec in enumerate(units):
        key = nfc(spec.name).strip().casefold()
        unit = existing.get(key)
        if unit is None:
            unit = ProductUnit(name=nfc(spec.name).strip(), factor=spec.factor, price=spec.price)
            product.units.append(unit)
        else:
            unit.name, unit.factor = nfc(spec.name).strip(), spec.factor
            if not keep_prices:
                unit.price = spec.price
        if replace or not any(u.is_base for u in product.units if u is not unit):
            unit.is_base = key == base_name
        keep = set(spec.barcodes)
        for barcode in list(unit.barcodes):
            if replace and barcode.code not in keep:
                unit.barcodes.remove(barcode)
        session.flush()
        present = {barcode.code for barcode in unit.barcodes}
        for code in spec.barcodes:
            if code in present:
                continue
            owner = _barcode_owner(session, code)
            if owner is not None:
                raise Conflict(
                    msg("Barcode %(code)s already belongs to another product.", code=code),
                                                                                                          field=f"units[{index}].barcodes"
                )
            unit.barcodes.append(Barcode(code=code))
    session.flush()


def _check_national_code(session: Session, code: str | None, product_id: int | None) -> None:
    if not code:
        return
    other = find_by_national_code(session, code)
    if other is not None and other.id != product_id:
        raise Conflict(msg("National drug code %(code)s is already on another product.", code=code),
                       field="national_code")


def _check_category(session: Session, values: dict) -> None:
    if values.get("category_id") is not None:
        from .categories import get_category

        get_category(session, values["category_id"])


def create_product(session: Session, values: dict, units: list[UnitSpec]) -> Product:
    check_product(values, units)
    _check_category(session, values)
    _check_national_code(session, values.get("national_code"), None)
    product = Product(**{key: values[key] for key in PRODUCT_FIELDS if key in values})
    session.add(product)
    session.flush()
    _apply_units(session, product, units)
    product.search_text = search_text_for(product)
    session.flush()
    return product


def update_product(
    session: Session, product: Product, values: dict, units: list[UnitSpec] | None, *, merge_units: bool = False
) -> Product:
    check_product(values, units)
    _check_category(session, values)
    if "national_code" in values:
        _check_national_code(session, values["national_code"], product.id)
    for key in PRODUCT_FIELDS:
        if key in values:
            setattr(product, key, values[key])
    if units is not None:
        _apply_units(session, product, units, replace=not merge_units, keep_prices=merge_units)
    product.search_text = search_text_for(product)
    session.flush()
    return product


def give_house_code(session: Session, product: Product, unit_name: str | None) -> Barcode:
    """The product's in-house EAN-13, made once, on the named unit (the base unit when none or unknown): for a
    product without a manufacturer barcode."""
    code = internal_code(product.id)
    existing = _barcode_owner(session, code)
    if existing is not None:
        return existing
    unit = next((u for u in product.units if u.name == unit_name), product.base_unit)
    barcode = Barcode(code=code, internal=True)
    unit.barcodes.append(barcode)
    session.flush()
    return barcode
