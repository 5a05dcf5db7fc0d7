"""Prescriptions recorded against sales: national e-prescription codes or manual records."""
