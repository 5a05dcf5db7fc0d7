"""Connector for the national drug database CSDL Dược API v2: client, payload mapping, catalogue import."""
