"""Bitstring Status List v1.0: encoding, bit order, bounded reading, the 1EdTech test list."""

from __future__ import annotations

import base64
import gzip
import json
import random
from datetime import UTC, datetime

import pytest

from badges.credentials import status_list as sl
from badges.credentials.verify import StaticStatusResolver, verify_input
from tests.interop_data import INTEROP

LIST_DIR = INTEROP / "samples" / "ob30" / "bit-string-list"
LIST_URL = ("https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/"
            "heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist")


def _testlist() -> dict:
    return json.loads((LIST_DIR / "testlist").read_text())


def test_1edtech_testlist_has_index_23_set() -> None:
    bits = sl.decode_bitstring(_testlist()["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == sl.STATUS_LIST_SIZE
    assert sl.is_set(bits, 23)
    assert [i for i in range(sl.STATUS_LIST_SIZE) if sl.is_set(bits, i)] == [23]
    assert sl.read_status(_testlist(), 23, "revocation") is True
    assert sl.read_status(_testlist(), 22, "revocation") is False


def test_bit_order_is_left_most_first() -> None:
    bits = sl.new_bitstring()
    sl.set_bit(bits, 0)
    sl.set_bit(bits, 23)
    assert bits[0] == 0x80 and bits[2] == 0x01
    sl.set_bit(bits, 0, False)
    assert bits[0] == 0


def test_encode_roundtrip_and_format() -> None:
    bits = sl.new_bitstring()
    sl.set_bit(bits, 131_071)
    encoded = sl.encode_bitstring(bits)
    assert encoded.startswith("uH4sI") and "=" not in encoded
    assert sl.decode_bitstring(encoded) == bits
    assert sl.encode_bitstring(bits) == encoded  # deterministic (mtime 0)


def test_range_errors() -> None:
    bits = sl.new_bitstring(16)
    for index in (-1, 16, True):
        with pytest.raises(sl.StatusListError) as err:
            sl.is_set(bits, index)  # type: ignore[arg-type]
        assert err.value.code == "RANGE_ERROR"


def test_gzip_bomb_refused() -> None:
    bomb = gzip.compress(b"\0" * (17 * 1024 * 1024))
    encoded = "u" + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    with pytest.raises(sl.StatusListError) as err:
        sl.decode_bitstring(encoded)
    assert err.value.code == "STATUS_LIST_TOO_LARGE"


@pytest.mark.parametrize("value", ["", "u!!!", "uAAAA", "u" + "A" * 10])
def test_garbage_refused(value: str) -> None:
    with pytest.raises(sl.StatusListError):
        sl.decode_bitstring(value)


def test_entry_and_list_credential_shapes() -> None:
    url = "https://skillspas.test/status/roc-x/1"
    entry = sl.status_entry(url, 42, "revocation")
    assert entry == {"id": f"{url}#42", "type": "BitstringStatusListEntry",
                     "statusPurpose": "revocation", "statusListIndex": "42",
                     "statusListCredential": url}
    assert sl.parse_entry(entry) == (url, 42, "revocation")
    bits = sl.new_bitstring()
    sl.set_bit(bits, 42)
    cred = sl.status_list_credential(url, "https://skillspas.test/issuers/roc-x", "revocation",
                                     bits, datetime(2026, 3, 1, 9, tzinfo=UTC))
    assert cred["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert cred["validFrom"] == "2026-03-01T09:00:00Z"
    assert cred["credentialSubject"]["type"] == "BitstringStatusList"
    assert sl.read_status(cred, 42, "revocation") is True
    with pytest.raises(sl.StatusListError):
        sl.read_status(cred, 42, "suspension")  # purpose must match
    with pytest.raises(ValueError):
        sl.status_list_credential(url, "x", "revocation", sl.new_bitstring(1024), "2026-01-01")
    with pytest.raises(ValueError):
        sl.status_entry(url, 1, "message")


def test_random_free_index() -> None:
    rng = random.Random(7)
    used = sl.new_bitstring(64)
    seen = set()
    for _ in range(64):
        index = sl.random_free_index(used, rng)
        assert index not in seen
        seen.add(index)
        sl.set_bit(used, index)
    with pytest.raises(ValueError):
        sl.random_free_index(used, rng)


def test_revoked_sample_is_reported_revoked() -> None:
    doc = json.loads((LIST_DIR / "credential-status-revoked.json").read_text())
    report = verify_input(doc, status_resolver=StaticStatusResolver({LIST_URL: _testlist()}))
    assert report.verdict == "revoked"
    assert report.check("status").status == "fail"
    assert report.verified is False
    assert report.summary_en.startswith("Revoked")


def test_unreachable_list_is_indeterminate_not_valid() -> None:
    doc = json.loads((LIST_DIR / "credential-status-revoked.json").read_text())
    report = verify_input(doc)
    assert report.check("status").status == "warning"
    assert report.verdict == "indeterminate"


def test_list_shape_errors_name_what_is_wrong():
    from badges.credentials.status_list import (
        is_list_credential,
        list_shape_errors,
        new_bitstring,
        status_list_credential,
    )

    good = status_list_credential("https://x.example/status/1", "https://x.example/i",
                                  "revocation", new_bitstring(), "2025-01-01T00:00:00Z")
    assert is_list_credential(good) and list_shape_errors(good) == []
    small = {**good, "credentialSubject": {**good["credentialSubject"],
                                           "encodedList": sl.encode_bitstring(bytes(16))}}
    assert list_shape_errors(small) == ["credentialSubject/encodedList: fewer than 131072 bits"]
    garbage = {**good, "credentialSubject": {**good["credentialSubject"], "encodedList": "u!!"}}
    assert list_shape_errors(garbage)[0].startswith("credentialSubject/encodedList:")
