"""Retail sales, their lot allocations, voids and customer returns."""
