"""Integer VND arithmetic: the one half-up rounding rule, shared with the national payload builders."""
from __future__ import annotations

from connectors.documents import divide_half_up

__all__ = ["divide_half_up"]
