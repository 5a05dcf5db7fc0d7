"""Cash at the counter: what is still missing of the total, and the change to give back (pure rules)."""
from __future__ import annotations


def cash_missing(payment_method: str, amount_tendered: int | None, total: int) -> int:
    """VND still missing when the customer pays cash and the tendered amount is known (else 0)."""
    if payment_method != "cash" or amount_tendered is None:
        return 0
    return max(total - amount_tendered, 0)


def change_due(payment_method: str, amount_tendered: int | None, total: int) -> int:
    """VND to give back for cash tendered over the total (else 0)."""
    if payment_method != "cash" or amount_tendered is None:
        return 0
    return max(amount_tendered - total, 0)
