"""Transfers of stock between stores of the chain."""
