"""Counter cart preview: prices, sellable stock and the lots FEFO would take per line, without writing.

It draws on the lots with the same LotPool as record_sale, so the preview and the sale take the same lots."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog.models import Product, ProductUnit
from ..catalog.queries import products_with_units
from ..catalog.store_prices import loaded_store_prices, unit_price
from ..errors import DomainError, InsufficientStock
from ..recalls.services import blocking, recall_message, recalls_by_product
from ..stock.fefo import LotOnHand, LotPool, is_expired
from ..stock.models import SELLABLE, StockLot
from ..stock.quarantine import quarantine_message, quarantined_on
from .payment import cash_missing, change_due


@dataclass
class LinePreview:
    """One cart line as the counter shows it; ``problem`` says why it cannot be sold as it stands."""

    index: int
    product: Product | None
    unit: ProductUnit | None
    quantity: int
    lot: str | None
    amount: int = 0
    unit_price: int | None = None  # the store's price of the unit (its own, else the chain's)
    sellable_base: int = 0
    allocations: list[dict] = field(default_factory=list)
    problem: str | None = None  # unknown_product | unknown_unit | no_stock | only_expired | insufficient | lot_… |
    # recalled | quarantined | controlled (pharmacy/controlled/counter.py)
    message: str = ""
    available_base: int | None = None  # with problem "insufficient": the base units that could be sold
    store_prices: dict[int, int] = field(default_factory=dict, repr=False)
    gross: int = 0  # with discounts (sales/discounts.py discount_preview): amount before them, and the line's
    discount: int = 0  # own discount and share of the cart's; `amount` is then net
    cart_share: int = 0

    def units_here(self) -> list[dict]:
        """The product's units with what each sells for in this store."""
        if self.product is None:
            return []
        return [{"name": u.name, "factor": u.factor, "price": unit_price(u, self.store_prices)}
                for u in self.product.units]


@dataclass
class CartPreview:
    lines: list[LinePreview]
    total: int
    needs_prescription: bool
    payment_method: str = "cash"
    amount_tendered: int | None = None
    gross: int = 0  # with discounts (sales/discounts.py discount_preview): `total` is then net
    discount_total: int = 0
    needs_approval: bool = False
    max_discount_percent: int | None = None

    @property
    def can_pay(self) -> bool:
        return bool(self.lines) and all(line.problem is None for line in self.lines)

    @property
    def cash_missing(self) -> int:
        return cash_missing(self.payment_method, self.amount_tendered, self.total)

    @property
    def change(self) -> int:
        return change_due(self.payment_method, self.amount_tendered, self.total)


def _lots_by_product(session: Session, store_id: int, product_ids: set[int]) -> dict[int, list[LotOnHand]]:
    stmt = (
        select(StockLot.id, StockLot.lot, StockLot.expiry, StockLot.quantity, StockLot.product_id)
        .where(StockLot.store_id == store_id, StockLot.product_id.in_(product_ids), StockLot.state == SELLABLE)
        .order_by(StockLot.expiry, StockLot.id)
    )
    lots: dict[int, list[LotOnHand]] = {pid: [] for pid in product_ids}
    for lot_id, lot, expiry, quantity, product_id in session.execute(stmt):
        lots[product_id].append(LotOnHand(lot_id, lot, expiry, quantity))
    return lots


def stock_problem(lots: list[LotOnHand], today: date, lot: str | None) -> str:
    """Why FEFO found too little: nothing at all, only expired lots, a named lot missing/expired, or too few."""
    if lot is not None:
        named = [candidate for candidate in lots if candidate.lot == lot and candidate.quantity > 0]
        if not named:
            return "lot_unknown"
        if all(is_expired(candidate.expiry, today) for candidate in named):
            return "lot_expired"
        return "insufficient"
    stocked = [candidate for candidate in lots if candidate.quantity > 0]
    if not stocked:
        return "no_stock"
    if all(is_expired(candidate.expiry, today) for candidate in stocked):
        return "only_expired"
    return "insufficient"


def _quarantined(session: Session, store_id: int, preview: LinePreview, lots: list[LotOnHand], today: date) -> None:
    """A named lot with nothing sellable left but units in quarantine: say so (problem `quarantined`)."""
    if preview.lot is None or any(c.lot == preview.lot and c.quantity > 0 and not is_expired(c.expiry, today)
                                  for c in lots):
        return
    held = quarantined_on(session, store_id=store_id, product_id=preview.product.id, lot=preview.lot)
    if held:
        preview.problem = "quarantined"
        preview.message = quarantine_message(preview.product.name, preview.lot, held, preview.product.base_unit.name)


def preview_cart(
    session: Session, *, store_id: int, lines: list[dict], today: date, near_expiry_days: int = 90,
    payment_method: str = "cash", amount_tendered: int | None = None,
) -> CartPreview:
    """Each line: product_id, unit, quantity, lot?; lines draw on the same lots in order, as record_sale does."""
    products = products_with_units(session, (line["product_id"] for line in lines), store_id=store_id)
    in_store = loaded_store_prices(u for p in products.values() for u in p.units)
    pool = LotPool(_lots_by_product(session, store_id, set(products)))
    recalls = recalls_by_product(session, products)
    horizon = today + timedelta(days=near_expiry_days)
    previews = []
    for index, line in enumerate(lines):
        product = products.get(line["product_id"])
        unit = product.unit_named(line["unit"]) if product else None
        preview = LinePreview(index, product, unit, line["quantity"], line.get("lot"),
                              unit_price=unit_price(unit, in_store) if unit is not None else None,
                              store_prices=in_store)
        previews.append(preview)
        if product is None or unit is None:
            preview.problem = "unknown_product" if product is None else "unknown_unit"
            continue
        recall = blocking(recalls.get(product.id, []), preview.lot)
        if recall is not None:
            preview.problem, preview.message = "recalled", recall_message(recall, preview.lot)
            continue
        lots = pool.lots(product.id)
        preview.amount = preview.unit_price * line["quantity"]
        preview.sellable_base = sum(c.quantity for c in lots if c.quantity > 0 and not is_expired(c.expiry, today))
        try:
            picks = pool.take(product.id, line["quantity"] * unit.factor, today=today, lot=preview.lot)
        except DomainError as exc:
            preview.problem, preview.message = stock_problem(lots, today, preview.lot), exc.message
            if isinstance(exc, InsufficientStock):
                preview.available_base = sum(row["quantity"] for row in exc.extra["available"])
            _quarantined(session, store_id, preview, lots, today)
            continue
        preview.allocations = [
            {"lot": picked.lot, "expiry": picked.expiry, "quantity": quantity, "near_expiry": picked.expiry <= horizon}
            for picked, quantity in picks
        ]
    return CartPreview(
        previews,
        total=sum(p.amount for p in previews),
        needs_prescription=any(p.product is not None and p.product.prescription_only for p in previews),
        payment_method=payment_method, amount_tendered=amount_tendered,
    )
