"""The owner's reports: read-only queries over a session (overview, sales, XNT by lot, rebalancing, matrix)."""
