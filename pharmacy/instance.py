"""The instance folder's secret files: the factory only reads them; `flask init` and `python app.py` make them."""
from __future__ import annotations

import secrets
from pathlib import Path

from .files import write_private
from .security import CredentialVault

SECRET_FILES = {
    "SECRET_KEY": ("secret_key", lambda: secrets.token_urlsafe(48)),
    "CREDENTIALS_KEY": ("credentials_key", CredentialVault.generate_key),
}


def read_secret(instance_path: str, name: str) -> str | None:
    """The secret kept in the instance folder for a setting, when there is one."""
    path = Path(instance_path) / SECRET_FILES[name][0]
    return path.read_text().strip() if path.exists() else None


def make_secrets(instance_path: str, given: dict) -> list[str]:
    """Make (0600) the secret files of the settings the environment does not give and no file holds yet."""
    made = []
    for name, (filename, make) in SECRET_FILES.items():
        path = Path(instance_path) / filename
        if given.get(name) or path.exists():
            continue
        write_private(path, make())  # created 0600: never readable by others, even for a moment
        made.append(str(path))
    return made
