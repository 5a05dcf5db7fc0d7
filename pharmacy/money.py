"""Integer VND arithmetic."""
from __future__ import annotations


def divide_half_up(amount: int, divisor: int) -> int:
    """amount / divisor rounded half up to a whole VND (amount >= 0, divisor > 0)."""
    return (2 * amount + divisor) // (2 * divisor)
