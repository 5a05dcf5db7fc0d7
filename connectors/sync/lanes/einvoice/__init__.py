"""The tax e-invoice lane: invoices and their corrections to the store's provider, in order per series."""
from .lane import EInvoiceLane

__all__ = ["EInvoiceLane"]
