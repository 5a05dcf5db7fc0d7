"""Goods issues (phiếu xuất): returns to a supplier and destruction of expired or damaged lots."""
