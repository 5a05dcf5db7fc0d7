"""The rules presets (one per decree) as data: pharmacy/data/einvoice_rules.json. Thresholds, symbol and code
formats, VAT rates and how a void is corrected live there, never in code."""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "einvoice_rules.json"
DEFAULT_RULES = "decree-70-2025"
PROVIDERS = ("sandbox", "viettel")
VAT_RATES = (0, 5, 8, 10)  # the rates a product may carry (every preset lists the same)


@cache
def presets() -> dict[str, dict]:
    return json.loads(RULES_FILE.read_text(encoding="utf-8"))


def preset(name: str | None) -> dict:
    return presets()[name or DEFAULT_RULES]


def valid_mtt_code(code: str | None, rules: str | None = None) -> bool:
    """The 23-character tax-authority code: only its shape is checked, its tail is the provider's."""
    return bool(code) and re.fullmatch(preset(rules)["mtt_code_pattern"], code) is not None


def vat_rate(product_rate: int | None, rules: str | None) -> int:
    """A product's VAT percent, or the preset's default (drugs: usually 5 %)."""
    return preset(rules)["default_vat_rate"] if product_rate is None else product_rate
