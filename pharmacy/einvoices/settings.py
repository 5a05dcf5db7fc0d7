"""A store's e-invoice settings: checked against the rules preset; the provider password is write-only, encrypted."""
from __future__ import annotations

import re

from ..errors import Invalid, msg
from ..stores.models import Store
from .presets import DEFAULT_RULES, PROVIDERS, preset, presets

FIELDS = ("einvoice_provider", "seller_tax_code", "einvoice_template", "einvoice_symbol", "einvoice_authority_code",
          "einvoice_rules", "einvoice_username")
UPPER = ("einvoice_symbol", "einvoice_authority_code")
TAX_CODE = r"^\d{10}(-\d{3})?$"
NEEDED = (("seller_tax_code", msg("the seller's tax code")), ("einvoice_template", msg("the invoice template")),
          ("einvoice_symbol", msg("the invoice symbol")),
          ("einvoice_authority_code", msg("the 5-character code issued by the tax authority")))


def apply_einvoice_settings(store: Store, values: dict, vault) -> None:
    """Copy the e-invoice fields given onto the store, then check the whole setting (when e-invoices are on)."""
    for key in FIELDS:
        if key in values:
            value = values[key]
            if isinstance(value, str):
                value = value.strip().upper() if key in UPPER else value.strip()
            setattr(store, key, value)
    if values.get("einvoice_password"):
        if vault is None:
            raise Invalid(msg("The server has no CREDENTIALS_KEY configured."), field="einvoice_password")
        store.einvoice_password_encrypted = vault.encrypt(values["einvoice_password"])
    store.einvoice_rules = store.einvoice_rules or DEFAULT_RULES
    if store.einvoice_rules not in presets():
        raise Invalid(msg("The rules preset must be one of: %(choices)s.", choices=", ".join(presets())),
                      field="einvoice_rules")
    if store.einvoice_provider is None:
        return
    if store.einvoice_provider not in PROVIDERS:
        raise Invalid(msg("The e-invoice provider must be one of: %(choices)s.", choices=", ".join(PROVIDERS)),
                      field="einvoice_provider")
    for key, label in NEEDED:
        if not getattr(store, key):
            raise Invalid(msg("Fill in %(what)s before turning e-invoices on.", what=label), field=key)
    rules = preset(store.einvoice_rules)
    checks = (("seller_tax_code", TAX_CODE, msg("A tax code has 10 digits (a branch adds -XXX).")),
              ("einvoice_symbol", rules["symbol_pattern"],
               msg("A cash-register invoice symbol has 6 characters: C, the year's 2 digits, M and 2 characters "
                   "(e.g. C25MAA).")),
              ("einvoice_authority_code", rules["authority_code_pattern"],
               msg("The tax authority's code has 5 capital letters or digits.")))
    for key, pattern, text in checks:
        if not re.fullmatch(pattern, getattr(store, key)):
            raise Invalid(text, field=key)
    if store.einvoice_template not in rules["templates"]:
        raise Invalid(msg("The invoice template must be one of: %(choices)s.",
                          choices=", ".join(rules["templates"])), field="einvoice_template")
    if store.einvoice_provider != "sandbox" and not (store.einvoice_username and store.einvoice_password_encrypted):
        raise Invalid(msg("The e-invoice provider's username and password are needed."),
                      field="einvoice_username")
