"""Lot stock, the immutable movement ledger and FEFO."""
