"""The CSDL Dược v2 lane (asynchronous transactions) and the v2 catalogue refresh."""
from .lane import V2Lane

__all__ = ["V2Lane"]
