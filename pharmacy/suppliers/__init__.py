"""Suppliers, what is owed to them for goods received on credit, their payments and the ageing of the debt."""
