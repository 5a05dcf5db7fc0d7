"""Simulator of the legacy national drug database API."""
