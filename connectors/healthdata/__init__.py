"""Connector for the Health Data Coordination System: FHIR R4 transaction bundles over OAuth2 client credentials."""
