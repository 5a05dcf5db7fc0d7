"""A store's e-invoice settings: checked against the rules preset; the provider password is write-only, encrypted."""
from __future__ import annotations

import re

from ..errors import Invalid
from ..stores.models import Store
from .presets import DEFAULT_RULES, PROVIDERS, preset, presets

FIELDS = ("einvoice_provider", "seller_tax_code", "einvoice_template", "einvoice_symbol", "einvoice_authority_code",
          "einvoice_rules", "einvoice_username")
UPPER = ("einvoice_symbol", "einvoice_authority_code")
TAX_CODE = r"^\d{10}(-\d{3})?$"
NEEDED = (("seller_tax_code", "mã số thuế người bán"), ("einvoice_template", "mẫu số hóa đơn"),
          ("einvoice_symbol", "ký hiệu hóa đơn"), ("einvoice_authority_code", "mã 5 ký tự do cơ quan thuế cấp"))


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
            raise Invalid("Máy chủ chưa cấu hình CREDENTIALS_KEY.", field="einvoice_password")
        store.einvoice_password_encrypted = vault.encrypt(values["einvoice_password"])
    store.einvoice_rules = store.einvoice_rules or DEFAULT_RULES
    if store.einvoice_rules not in presets():
        raise Invalid(f"Bộ quy tắc phải là một trong: {', '.join(presets())}.", field="einvoice_rules")
    if store.einvoice_provider is None:
        return
    if store.einvoice_provider not in PROVIDERS:
        raise Invalid(f"Nhà cung cấp hóa đơn điện tử phải là một trong: {', '.join(PROVIDERS)}.",
                      field="einvoice_provider")
    for key, label in NEEDED:
        if not getattr(store, key):
            raise Invalid(f"Cần khai báo {label} trước khi bật hóa đơn điện tử.", field=key)
    rules = preset(store.einvoice_rules)
    checks = (("seller_tax_code", TAX_CODE, "Mã số thuế gồm 10 chữ số (chi nhánh: thêm -XXX)."),
              ("einvoice_symbol", rules["symbol_pattern"],
               "Ký hiệu hóa đơn máy tính tiền gồm 6 ký tự: C + 2 số năm + M + 2 ký tự (ví dụ C25MAA)."),
              ("einvoice_authority_code", rules["authority_code_pattern"],
               "Mã do cơ quan thuế cấp gồm 5 chữ in hoa hoặc chữ số."))
    for key, pattern, text in checks:
        if not re.fullmatch(pattern, getattr(store, key)):
            raise Invalid(text, field=key)
    if store.einvoice_template not in rules["templates"]:
        raise Invalid(f"Mẫu số hóa đơn phải là một trong: {', '.join(rules['templates'])}.",
                      field="einvoice_template")
    if store.einvoice_provider != "sandbox" and not (store.einvoice_username and store.einvoice_password_encrypted):
        raise Invalid("Cần tài khoản và mật khẩu của nhà cung cấp hóa đơn điện tử.", field="einvoice_username")
