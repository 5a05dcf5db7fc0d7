"""Password hashing (Argon2id), encryption of stored national passwords (MultiFernet) and API tokens."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from itsdangerous import BadSignature, URLSafeTimedSerializer

_hasher = PasswordHasher()
_dummy: dict[int, str] = {}


def use_fast_password_hashing() -> None:
    """Cheap Argon2 parameters for the test suite only (hashes keep their own parameters when verified)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_against_dummy(password: str) -> bool:
    """Spend the same time as a real check when there is no user to check against (no username enumeration)."""
    key = id(_hasher)
    if key not in _dummy:
        _dummy[key] = _hasher.hash("dummy password for unknown users")
    verify_password(_dummy[key], password)
    return False


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError, UnicodeEncodeError):  # a lone surrogate matches nothing
        return False


class CredentialVault:
    """Encrypts national passwords at rest; keys are comma-separated Fernet keys, newest first."""

    def __init__(self, keys: str):
        self._fernet = MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode()

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("stored credential cannot be decrypted with CREDENTIALS_KEY") from exc

    def rotate(self, token: str) -> str:
        return self._fernet.rotate(token.encode()).decode()


class TokenSigner:
    """Bearer tokens: a signed (user id, token version), valid for max_age seconds."""

    def __init__(self, secret_key: str, max_age: int):
        self._serializer = URLSafeTimedSerializer(secret_key, salt="api-token")
        self._max_age = max_age

    def issue(self, user_id: int, version: int) -> str:
        return self._serializer.dumps([user_id, version])

    def read(self, token: str) -> tuple[int, int] | None:
        try:
            user_id, version = self._serializer.loads(token, max_age=self._max_age)
        except (BadSignature, ValueError, TypeError):
            return None
        return int(user_id), int(version)
