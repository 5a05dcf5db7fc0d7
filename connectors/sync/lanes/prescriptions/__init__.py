"""The prescription lane: dispensing reports (e-prescription system) and FHIR bundles (health data system)."""
from .lane import PrescriptionLane

__all__ = ["PrescriptionLane"]
