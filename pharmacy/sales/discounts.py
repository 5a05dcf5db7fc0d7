"""Discounts on a sale (pure rules): a line's own (percent or amount), the cart's spread over the lines, and the
owner's per-store ceiling for pharmacists. Amounts are integer VND; a line's `amount` is what it nets."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import Forbidden, Invalid, msg


@dataclass(frozen=True)
class LinePrice:
    gross: int            # quantity × unit price
    discount: int         # the line's own discount
    cart_share: int       # its part of the cart discount

    @property
    def net(self) -> int:
        return self.gross - self.discount - self.cart_share


def line_discount(line: dict, gross: int, index: int) -> int:
    """VND off one line: `discount_amount`, or `discount_percent` of the line rounded half up; never both."""
    if line.get("discount_amount") is not None and line.get("discount_percent") is not None:
        raise Invalid(msg("Give a discount either in percent or as an amount, not both."),
                      field=f"lines[{index}].discount_percent")
    if line.get("discount_percent") is not None:
        percent = line["discount_percent"]
        if not 0 <= percent <= 100:
            raise Invalid(msg("A discount is between 0 and 100%."), field=f"lines[{index}].discount_percent")
        return (gross * percent * 2 + 100) // 200
    amount = line.get("discount_amount") or 0
    if not 0 <= amount <= gross:
        raise Invalid(msg("A discount cannot exceed the line's amount (%(gross)s ₫).", gross=gross),
                      field=f"lines[{index}].discount_amount")
    return amount


def price_lines(lines: list[dict], grosses: list[int], cart_discount: int) -> list[LinePrice]:
    """Each line's discount and share of the cart discount (pro rata to what the line nets before it, the
    remainder VND to the largest remainders), so the shares add up to the cart discount exactly."""
    own = [line_discount(line, gross, index) for index, (line, gross) in enumerate(zip(lines, grosses, strict=True))]
    after = [gross - discount for gross, discount in zip(grosses, own, strict=True)]
    base = sum(after)
    if not 0 <= cart_discount <= base:
        raise Invalid(msg("The cart discount cannot exceed the total after line discounts (%(base)s ₫).", base=base),
                      field="discount_amount")
    shares = [cart_discount * value // base if base else 0 for value in after]
    left = cart_discount - sum(shares)
    by_remainder = sorted(range(len(after)), key=lambda i: (-(cart_discount * after[i] % base) if base else 0, i))
    for i in by_remainder[:left]:
        shares[i] += 1
    return [LinePrice(gross, discount, share) for gross, discount, share in zip(grosses, own, shares, strict=True)]


def check_discount_limit(prices: list[LinePrice], *, max_percent: int | None, approved: bool) -> None:
    """Refuse a discount above `max_percent` of the gross (a line's or the whole sale's) unless an owner approved;
    `max_percent` None: no ceiling (an owner selling)."""
    if max_percent is None or approved:
        return
    for index, price in enumerate(prices):
        if price.discount * 100 > price.gross * max_percent:
            raise Forbidden(msg("The discount is above the maximum of %(max)s%%: an owner must approve it.",
                                max=max_percent),
                            field=f"lines[{index}].discount_amount", max_percent=max_percent)
    gross = sum(price.gross for price in prices)
    off = sum(price.discount + price.cart_share for price in prices)
    if off * 100 > gross * max_percent:
        raise Forbidden(msg("The discount is above the maximum of %(max)s%%: an owner must approve it.",
                            max=max_percent),
                        field="approval", max_percent=max_percent)
