"""Dynamic VietQR (NAPAS, EMVCo merchant-presented QR) payloads: TLV fields and a CRC-16/CCITT-FALSE checksum.

See ../shared/docs/compliance.md §5. Pure functions: no database, no clock."""
from __future__ import annotations

import re
import secrets

from ..errors import Invalid, msg

NAPAS_AID = "A000000727"
TO_ACCOUNT = "QRIBFTTA"
MEMO_PREFIX = "NT"
MEMO_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud without doubt
MEMO_TOKEN_LENGTH = 8
MEMO_PATTERN = re.compile(MEMO_PREFIX + f"[{MEMO_ALPHABET}]{{{MEMO_TOKEN_LENGTH}}}")
_MEMO_CHARS = re.compile(r"^[A-Za-z0-9 _.-]{1,25}$")
_BIN = re.compile(r"^\d{6}$")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]{1,19}$")


def new_memo() -> str:
    """A transfer memo naming one sale: a fixed prefix and fixed length, so digits a bank glues on either side
    never change which sale it names."""
    return MEMO_PREFIX + "".join(secrets.choice(MEMO_ALPHABET) for _ in range(MEMO_TOKEN_LENGTH))


def memos_in(content: str) -> list[str]:
    """The memos a bank's transfer content may carry: upper-cased, spaces and punctuation dropped first."""
    squeezed = re.sub(r"[^A-Z0-9]", "", (content or "").upper())
    return list(dict.fromkeys(MEMO_PATTERN.findall(squeezed)))


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"EMVCo field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def check_bank_settings(bank_bin: str, bank_account: str) -> None:
    if not _BIN.match(bank_bin or ""):
        raise Invalid(msg("A bank BIN has 6 digits."), field="bank_bin")
    if not _ACCOUNT.match(bank_account or ""):
        raise Invalid(msg("An account number has at most 19 letters or digits."), field="bank_account")


def vietqr_payload(*, bank_bin: str, bank_account: str, amount: int, memo: str) -> str:
    """The string to draw as a QR: one payment of exactly `amount` VND into the account, with `memo`."""
    check_bank_settings(bank_bin, bank_account)
    if not _MEMO_CHARS.match(memo):
        raise Invalid(msg("A transfer memo has at most 25 letters, digits, spaces, _ . -"), field="memo")
    if amount <= 0:
        raise Invalid(msg("A transfer amount must be greater than 0."), field="amount")
    beneficiary = _tlv("00", bank_bin) + _tlv("01", bank_account)
    merchant = _tlv("00", NAPAS_AID) + _tlv("01", beneficiary) + _tlv("02", TO_ACCOUNT)
    body = (_tlv("00", "01") + _tlv("01", "12") + _tlv("38", merchant) + _tlv("53", "704")
            + _tlv("54", str(amount)) + _tlv("58", "VN") + _tlv("62", _tlv("08", memo)) + "6304")
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"
