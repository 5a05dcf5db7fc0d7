"""Saying a quantity of base units in a product's units: 381 Viên with Vỉ = 10 is "38 Vỉ 1 Viên" (pure)."""
from __future__ import annotations


def split_units(base: int, units: list[tuple[str, int]], unit_name: str) -> list[tuple[int, str]]:
    """(count, unit) pairs for `base` units, starting at `unit_name` and going down to smaller units.

    `units` are (name, factor) pairs, the base unit having factor 1; zero counts are left out; 0 is [(0, unit)]."""
    ordered = sorted(units, key=lambda unit: -unit[1])
    start = next((i for i, (name, _factor) in enumerate(ordered) if name == unit_name), None)
    usable = ordered[start:] if start is not None else [unit for unit in ordered if unit[1] == 1]
    if base == 0 or not usable:
        return [(base, usable[0][0] if usable else unit_name)]
    parts, left = [], base
    for name, factor in usable:
        count, left = divmod(left, factor)
        if count:
            parts.append((count, name))
    return parts
