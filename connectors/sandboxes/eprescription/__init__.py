"""Simulator of the national e-prescription system, with demo prescriptions."""
