"""Which adapter and address a store's provider uses, from the settings: `sandbox` (the simulator `python app.py`
serves, one demo account for every store) or `viettel` (EINVOICE_URL overrides its base URL; the store's account)."""
from __future__ import annotations

from dataclasses import dataclass

from .viettel import DEFAULT_ROOT, ViettelClient

SANDBOX_URL, SANDBOX_USER, SANDBOX_PASSWORD = "EINVOICE_SANDBOX_URL", "EINVOICE_SANDBOX_USERNAME", \
    "EINVOICE_SANDBOX_PASSWORD"


@dataclass(frozen=True)
class Account:
    provider: str
    root_url: str
    username: str
    password_encrypted: str | None   # None: the settings' (sandbox) password
    tax_code: str


def account_for(provider: str, settings, username: str, password_encrypted: str | None, tax_code: str) -> Account:
    """The address and login of a store's provider; `root_url` is empty when the sandbox is not running."""
    if provider == "sandbox":
        return Account(provider, settings.get(SANDBOX_URL) or "", settings.get(SANDBOX_USER) or "", None, tax_code)
    return Account(provider, settings.get("EINVOICE_URL") or DEFAULT_ROOT, username, password_encrypted, tax_code)


def client_for(account: Account, settings, vault, *, session, timeout) -> ViettelClient:
    password = settings.get(SANDBOX_PASSWORD) or "" if account.password_encrypted is None \
        else vault.decrypt(account.password_encrypted)
    return ViettelClient(account.root_url, account.username, password, account.tax_code, session=session,
                         timeout=timeout)
