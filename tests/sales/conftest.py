"""The prescription fixtures (sandboxes on loopback, a stocked store) for sales against e-prescriptions."""
from tests.prescriptions.conftest import erx, erx_faults, hd_faults, health, lookup, rx_app, rx_shop, sell  # noqa: F401
