"""Simulator of the Health Data Coordination System (FHIR R4 with OAuth2 client credentials)."""
