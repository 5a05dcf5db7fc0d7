"""Goods receipts (phiếu nhập): supplier deliveries, unmatched customer returns, opening stock."""
