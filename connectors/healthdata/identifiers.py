"""Identifier systems, FHIR codes (as Enums) and the deterministic ids used in health data bundles."""
from __future__ import annotations

import re
import uuid
from enum import StrEnum

# National identifier systems. CCCD is fixed by national-systems.md §4; the insurance number uses the NamingSystem
# published in the Ministry of Health's VN Core IG. The others name our national sources; change them here only.
CCCD = "http://fhir.hl7.org.vn/core/sid/cccd"
INSURANCE_NUMBER = "http://fhir.ehealth.gov.vn/core/sid/insurance_number"
HEALTH_ID = "https://donthuocquocgia.vn/sid/ma-dinh-danh-y-te"
PRESCRIPTION = "https://donthuocquocgia.vn/sid/ma-don-thuoc"
PRESCRIPTION_LINE = "https://donthuocquocgia.vn/sid/ma-don-thuoc-dong"
FACILITY = "https://duocquocgia.com.vn/sid/ma-co-so"
NATIONAL_DRUG = "https://duocquocgia.com.vn/sid/ma-thuoc"
PHARMACIST_LICENSE = "https://duocquocgia.com.vn/sid/chung-chi-hanh-nghe"
GTIN = "https://www.gs1.org/gtin"
# Store-scoped identifiers: values are "<store>:<local id>" so they are unique across stores.
LOCAL_PATIENT = "urn:pharmacy-pos:patient"
LOCAL_PRACTITIONER = "urn:pharmacy-pos:practitioner"
LOCAL_MEDICATION = "urn:pharmacy-pos:medication"
LOCAL_DISPENSE = "urn:pharmacy-pos:dispense"
LOCAL_BUNDLE = "urn:pharmacy-pos:dispense-bundle"

# Fixed forever: changing it would change every fullUrl, and golden files with it.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:pharmacy-pos:healthdata")
_CCCD_FORMAT = re.compile(r"\d{12}")


class BundleType(StrEnum):
    TRANSACTION = "transaction"
    TRANSACTION_RESPONSE = "transaction-response"


class HTTPVerb(StrEnum):
    POST = "POST"


class DispenseStatus(StrEnum):
    COMPLETED = "completed"


class RequestStatus(StrEnum):
    ACTIVE = "active"


class RequestIntent(StrEnum):
    ORDER = "order"


class AdministrativeGender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"
    UNKNOWN = "unknown"


def is_cccd(value: str | None) -> bool:
    """A citizen identity card number: exactly 12 digits."""
    return bool(value) and bool(_CCCD_FORMAT.fullmatch(value))


def identifier(system: str, value: str) -> dict:
    return {"system": system, "value": value}


def full_url(resource_type: str, ident: dict) -> str:
    """A urn:uuid fullUrl derived from the resource's identifying identifier, so rebuilding gives the same bundle."""
    return "urn:uuid:" + str(uuid.uuid5(_NAMESPACE, f"{resource_type}|{ident['system']}|{ident['value']}"))


def if_none_exist(ident: dict) -> str:
    return f"identifier={ident['system']}|{ident['value']}"
