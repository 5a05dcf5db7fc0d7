"""Simulator of the CSDL Dược v2 API: asynchronous transactions, the master drug list, demo drugs."""
