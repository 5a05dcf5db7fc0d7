"""Connector for the national e-prescription system (Đơn thuốc quốc gia): code rules, lookup, dispensing report."""
