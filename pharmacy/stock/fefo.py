"""First-expiry-first-out lot picking: a pure function over the lots on hand."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errors import InsufficientStock, Invalid, msg


@dataclass(frozen=True)
class LotOnHand:
    id: int
    lot: str
    expiry: date
    quantity: int


def is_expired(expiry: date, today: date) -> bool:
    """A lot is usable through its expiry date and expired from the next day on."""
    return expiry < today


def available_view(lots: list[LotOnHand], today: date) -> list[dict]:
    """Sellable quantities per lot, for a 409 answer."""
    return [
        {"lot": lot.lot, "expiry": lot.expiry.isoformat(), "quantity": lot.quantity}
        for lot in lots
        if lot.quantity > 0 and not is_expired(lot.expiry, today)
    ]


def pick_lots(
    lots: list[LotOnHand], needed: int, *, today: date, lot: str | None = None, field: str = "quantity"
) -> list[tuple[LotOnHand, int]]:
    """Which lots give `needed` base units: the named lot only, else the earliest-expiring unexpired ones."""
    if lot is not None:
        named = [candidate for candidate in lots if candidate.lot == lot]
        if not named:
            raise Invalid(msg("Lot %(lot)s is not in stock.", lot=lot), field=field.rsplit(".", 1)[0] + ".lot")
        sellable = [candidate for candidate in named if not is_expired(candidate.expiry, today)]
        if not sellable:
            raise Invalid(msg("Lot %(lot)s has expired: it may not be sold.", lot=lot),
                          field=field.rsplit(".", 1)[0] + ".lot")
        candidates = sellable
    else:
        candidates = [candidate for candidate in lots if not is_expired(candidate.expiry, today)]
    candidates = sorted((c for c in candidates if c.quantity > 0), key=lambda c: (c.expiry, c.id))
    picked: list[tuple[LotOnHand, int]] = []
    remaining = needed
    for candidate in candidates:
        if remaining == 0:
            break
        take = min(candidate.quantity, remaining)
        picked.append((candidate, take))
        remaining -= take
    if remaining:
        available = available_view(candidates, today)
        have = sum(row["quantity"] for row in available)
        raise InsufficientStock(
            msg("Not enough stock: %(needed)s needed, %(have)s sellable.", needed=needed, have=have),
                field=field, available=available
        )
    return picked


class LotPool:
    """The lots on hand per product, drawn down as a cart's lines take from them in order (pure: no database).

    The one allocation both the counter's preview and the recorded sale use, so they never disagree."""

    def __init__(self, lots_by_product: dict[int, list[LotOnHand]]):
        self._lots = {product_id: list(lots) for product_id, lots in lots_by_product.items()}

    def lots(self, product_id: int) -> list[LotOnHand]:
        return self._lots.get(product_id, [])

    def take(
        self, product_id: int, needed: int, *, today: date, lot: str | None = None, field: str = "quantity"
    ) -> list[tuple[LotOnHand, int]]:
        """pick_lots over what earlier lines left; the lots picked are then that much lower for later lines."""
        lots = self.lots(product_id)
        picks = pick_lots(lots, needed, today=today, lot=lot, field=field)
        taken = {picked.id: quantity for picked, quantity in picks}
        self._lots[product_id] = [
            LotOnHand(c.id, c.lot, c.expiry, c.quantity - taken.get(c.id, 0)) for c in lots
        ]
        return picks
