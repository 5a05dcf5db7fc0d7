"""The legacy national drug database lane (liên thông API)."""
from .lane import LegacyLane

__all__ = ["LegacyLane"]
