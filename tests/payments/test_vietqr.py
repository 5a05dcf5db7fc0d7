"""VietQR payloads read back by a decoder written here, independently of pharmacy/payments/vietqr.py: every TLV
field, every nested field and the CRC (binascii's CRC-CCITT started at 0xFFFF, i.e. CRC-16/CCITT-FALSE)."""
from __future__ import annotations

import binascii

import pytest

from pharmacy.errors import Invalid
from pharmacy.payments.vietqr import crc16_ccitt_false, memos_in, new_memo, vietqr_payload


def parse_tlv(text: str) -> dict[str, str]:
    fields, index = {}, 0
    while index < len(text):
        tag, length = text[index:index + 2], int(text[index + 2:index + 4])
        value = text[index + 4:index + 4 + length]
        assert len(value) == length, f"field {tag} is cut short"
        assert tag not in fields, f"field {tag} twice"
        fields[tag] = value
        index += 4 + length
    return fields


def decode(payload: str) -> dict:
    """The payload's fields, nested ones decoded, after checking its CRC over everything up to `6304`."""
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == f"{binascii.crc_hqx(payload[:-4].encode('ascii'), 0xFFFF):04X}"
    top = parse_tlv(payload)
    merchant = parse_tlv(top["38"])
    return {**top, "38": {**merchant, "01": parse_tlv(merchant["01"])}, "62": parse_tlv(top["62"])}


def test_the_crc_is_crc16_ccitt_false():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_every_field_of_a_dynamic_vietqr():
    memo = new_memo()
    fields = decode(vietqr_payload(bank_bin="970436", bank_account="0011004455667", amount=125_000, memo=memo))
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["38"] == {"00": "A000000727", "01": {"00": "970436", "01": "0011004455667"}, "02": "QRIBFTTA"}
    assert fields["53"] == "704" and fields["54"] == "125000" and fields["58"] == "VN"
    assert fields["62"] == {"08": memo} and len(memo) <= 25
    assert set(fields) == {"00", "01", "38", "53", "54", "58", "62", "63"}


@pytest.mark.parametrize("values, field", [
    ({"bank_bin": "97043"}, "bank_bin"),
    ({"bank_account": "12-34"}, "bank_account"),
    ({"amount": 0}, "amount"),
    ({"memo": "Thanh toán"}, "memo"),
])
def test_what_a_bank_app_cannot_read_is_refused(values, field):
    given = {"bank_bin": "970436", "bank_account": "0011004455667", "amount": 1000, "memo": "NTABCDEFGH", **values}
    with pytest.raises(Invalid) as caught:
        vietqr_payload(**given)
    assert field in caught.value.errors


def test_memos_survive_what_banks_do_to_the_content():
    memo = new_memo()
    spaced = memo[:4] + " " + memo[4:]
    assert memos_in(f"MBVCB.1234.{memo}5678.CT tu 0123") == [memo]
    assert memos_in(f"123456{memo}999") == [memo]
    assert memos_in(spaced.lower()) == [memo]
    assert memos_in("chuyen tien an trua") == []
