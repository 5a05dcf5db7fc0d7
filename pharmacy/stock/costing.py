"""A lot's cost per base unit: fixed at receipt, a weighted average when the same lot is received again."""
from __future__ import annotations

from ..money import divide_half_up


def weighted_cost(on_hand: int, cost: int, received: int, received_cost: int) -> int:
    """The lot's cost after receiving `received` units at `received_cost` onto `on_hand` units at `cost`.

    A second receipt of the same lot at another price does not overwrite the cost: from that moment on the lot
    costs the quantity-weighted average of what is on hand and what came in, rounded half up to whole VND.
    What was sold before keeps the cost stored on its sale allocation, so past margins never move. Units put
    back by voids and customer returns re-enter at the lot's current cost (the report reverses them at the
    allocation's cost, the stock value uses the lot's).
    """
    if on_hand <= 0:
        return received_cost
    if received <= 0:
        return cost
    return divide_half_up(on_hand * cost + received * received_cost, on_hand + received)
