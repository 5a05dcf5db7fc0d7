"""Prescription code normalization, validation and the controlled types."""
from __future__ import annotations

import pytest

from connectors.eprescription.codes import is_controlled, normalize_code, prescription_type


@pytest.mark.parametrize("raw, expected", [
    ("79011a3f9k2q-c", "79011a3f9k2q-c"),
    ("  79011A3F9K2Q-C \t", "79011a3f9k2q-c"),
    ("\n01023B7H2M5P-n", "01023b7h2m5p-n"),
    ("48001d5k3n7w-H", "48001d5k3n7w-h"),
    ("aB12c0000000-y", "ab12c0000000-y"),
])
def test_normalize_code_trims_and_lowercases(raw, expected):
    assert normalize_code(raw) == expected


@pytest.mark.parametrize("raw, reason", [
    ("", "empty"),
    ("   ", "empty"),
    ("79011a3f9k2q-", "13 characters"),
    ("79011a3f9k2q-cc", "15 characters"),
    ("79011a3f9k2qxc", "13th character"),
    ("79011a3f9k2q-x", "unknown type letter 'x'"),
    ("79 11a3f9k2q-c", "facility code"),
    ("79011a3f-k2q-c", "characters 6-12"),
    ("79011a3fđk2q-c", "characters 6-12"),
])
def test_normalize_code_explains_a_bad_format(raw, reason):
    with pytest.raises(ValueError, match=reason):
        normalize_code(raw)


def test_normalize_code_refuses_non_text():
    with pytest.raises(ValueError, match="must be text"):
        normalize_code(79011)


@pytest.mark.parametrize("code, controlled", [
    ("79011a3f9k2q-c", False), ("79011a3f9k2q-y", False), ("79011a3f9k2q-n", True), (" 79011A3F9K2Q-H ", True),
])
def test_narcotic_and_psychotropic_codes_are_controlled(code, controlled):
    assert is_controlled(code) is controlled
    assert prescription_type(code) == code.strip()[-1].lower()
