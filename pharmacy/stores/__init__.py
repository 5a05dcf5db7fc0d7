"""Stores and the people who work in them."""
