"""The shift's figures as plain data: per payment method sales and refunds, and the cash the drawer should hold."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MethodFigures:
    sales_count: int = 0
    sales: int = 0
    refunds_count: int = 0
    refunds: int = 0

    def add_sales(self, count: int, total: int) -> None:
        self.sales_count += count
        self.sales += int(total)

    def add_refunds(self, count: int, total: int) -> None:
        self.refunds_count += count
        self.refunds += int(total)

    @property
    def net(self) -> int:
        return self.sales - self.refunds

    def as_dict(self) -> dict:
        return {"sales_count": self.sales_count, "sales": self.sales, "refunds_count": self.refunds_count,
                "refunds": self.refunds, "net": self.net}


@dataclass
class ShiftFigures:
    """Expected cash = opening float + cash sales − cash refunds (returns and voids) + cash in − cash out."""

    opening_cash: int
    by_payment_method: dict[str, MethodFigures] = field(default_factory=dict)
    cash_in: int = 0
    cash_out: int = 0
    discounts: int = 0  # VND off the shift's sales at list prices (lines' own and carts'); their totals are net
    discounted_sales: int = 0

    @property
    def expected_cash(self) -> int:
        cash = self.by_payment_method.get("cash", MethodFigures())
        return self.opening_cash + cash.net + int(self.cash_in) - int(self.cash_out)

    def as_dict(self) -> dict:
        return {"opening_cash": self.opening_cash, "cash_in": int(self.cash_in), "cash_out": int(self.cash_out),
                "expected_cash": self.expected_cash, "discounts": int(self.discounts),
                "discounted_sales": int(self.discounted_sales),
                "by_payment_method": {method: figures.as_dict()
                                      for method, figures in self.by_payment_method.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> ShiftFigures:
        return cls(opening_cash=data["opening_cash"], cash_in=data["cash_in"], cash_out=data["cash_out"],
                   discounts=data.get("discounts", 0), discounted_sales=data.get("discounted_sales", 0),
                   by_payment_method={method: MethodFigures(row["sales_count"], row["sales"], row["refunds_count"],
                                                            row["refunds"])
                                      for method, row in data["by_payment_method"].items()})
