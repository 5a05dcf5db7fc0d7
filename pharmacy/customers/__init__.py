"""Customers of the chain: found by phone at the counter, named on their sales and national invoices."""
