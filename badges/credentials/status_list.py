"""W3C Bitstring Status List v1.0: revocation and suspension without phoning home.

A status list is one bit per credential, gzip-compressed, base64url-encoded
with the multibase prefix ``u``, and published as a (signed)
``BitstringStatusListCredential``. The verifier downloads the whole list, so
the issuer never learns *which* credential is being checked; that privacy only
holds when lists are large, hence the 131,072-bit minimum the specification
sets and ``status_list_credential`` enforces.

Bit order follows the specification: index 0 is the left-most (most
significant) bit of the first byte. Reading a list is bounded: a hostile list
that inflates to gigabytes (a gzip bomb) is refused after 16 MB.
"""

from __future__ import annotations

import base64
import binascii
import random
import zlib
from datetime import UTC, datetime
from typing import Any

from .errors import BilingualError

STATUS_LIST_SIZE = 131_072
MAX_DECOMPRESSED = 16 * 1024 * 1024
MAX_ENCODED_LENGTH = 4 * 1024 * 1024
PURPOSES = frozenset({"revocation", "suspension"})
V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"


class StatusListError(BilingualError, ValueError):
    """A status list or entry that cannot be read. ``code`` follows the spec's error names."""



def new_bitstring(size: int = STATUS_LIST_SIZE) -> bytearray:
    """An all-zero list of ``size`` bits (rounded up to whole bytes)."""
    return bytearray((size + 7) // 8)


def encode_bitstring(bits: bytes | bytearray) -> str:
    """Multibase base64url (no padding, prefix ``u``) of the gzip-compressed bits.

    ``mtime=0`` keeps the output deterministic, so republishing an unchanged
    list yields byte-identical JSON (useful for caching and tests).
    """
    import gzip  # local: only issuing needs the compressor

    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_bitstring(value: str, *, max_bytes: int = MAX_DECOMPRESSED) -> bytearray:
    """Inverse of encode_bitstring, with bounded decompression.

    Accepts the multibase form (``u`` prefix) and, for lists published under
    the older StatusList2021 rules, bare base64url gzip (which starts ``H4sI``).
    """
    if not isinstance(value, str) or not value or len(value) > MAX_ENCODED_LENGTH:
        raise StatusListError("STATUS_LIST_DECODE_ERROR", "De statuslijst is leeg of te groot.",
                              "The status list is empty or too large.")
    text = value[1:] if value.startswith("u") else value
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise StatusListError("STATUS_LIST_DECODE_ERROR",
                              "De statuslijst is geen geldige base64url-tekst.",
                              "The status list is not valid base64url.") from exc
    return bytearray(_bounded_gunzip(compressed, max_bytes))


def _bounded_gunzip(data: bytes, limit: int) -> bytes:
    """Gunzip at most ``limit`` bytes; a larger result is a bomb and is refused."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise StatusListError("STATUS_LIST_DECODE_ERROR", "De statuslijst is geen geldige gzip.",
                              "The status list is not valid gzip.") from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise StatusListError("STATUS_LIST_TOO_LARGE",
                              "De statuslijst is uitgepakt groter dan toegestaan.",
                              "The status list decompresses to more than allowed.")
    if not inflater.eof:
        raise StatusListError("STATUS_LIST_DECODE_ERROR", "De statuslijst is afgekapt.",
                              "The status list is truncated.")
    return out


def _check_index(bits: bytes | bytearray, index: int) -> None:
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(bits) * 8:
        raise StatusListError("RANGE_ERROR", "De statusindex valt buiten de lijst.",
                              "The status index is outside the list.")


def is_set(bits: bytes | bytearray, index: int) -> bool:
    """True when bit ``index`` is 1 (index 0 = most significant bit of byte 0)."""
    _check_index(bits, index)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool = True) -> None:
    """Set or clear bit ``index`` in place."""
    _check_index(bits, index)
    mask = 0x80 >> (index % 8)
    if value:
        bits[index // 8] |= mask
    else:
        bits[index // 8] &= ~mask & 0xFF


def status_entry(list_url: str, index: int, purpose: str) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` for a credential's ``credentialStatus``.

    ``statusListIndex`` is a string because the specification defines it as
    one (an integer would fail strict verifiers).
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unsupported status purpose: {purpose}")
    if index < 0:
        raise ValueError("status index must be non-negative")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def _iso(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def status_list_credential(
    list_url: str,
    issuer: dict[str, Any] | str,
    purpose: str,
    bits: bytes | bytearray,
    valid_from: datetime | str,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` for ``bits`` (sign it before publishing)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unsupported status purpose: {purpose}")
    if len(bits) * 8 < STATUS_LIST_SIZE:
        raise ValueError(f"a status list needs at least {STATUS_LIST_SIZE} bits for privacy")
    return {
        "@context": [V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": _iso(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_bitstring(bits),
        },
    }


def parse_entry(entry: Any) -> tuple[str, int, str]:
    """(list URL, index, purpose) of a ``BitstringStatusListEntry``; StatusListError if unusable."""
    if not isinstance(entry, dict) or entry.get("type") not in (
        "BitstringStatusListEntry", ["BitstringStatusListEntry"]
    ):
        raise StatusListError("UNSUPPORTED_STATUS_TYPE", "Onbekend type statusvermelding.",
                              "Unknown credential status type.")
    url, purpose, raw_index = (entry.get("statusListCredential"), entry.get("statusPurpose"),
                               entry.get("statusListIndex"))
    if not isinstance(url, str) or not url:
        raise StatusListError("MALFORMED_VALUE_ERROR", "De statusvermelding noemt geen lijst.",
                              "The status entry names no list.")
    # The spec says string; 1EdTech's own sample uses an integer, so accept both.
    if isinstance(raw_index, int) and not isinstance(raw_index, bool):
        index = raw_index
    elif isinstance(raw_index, str) and raw_index.isdigit() and len(raw_index) <= 12:
        index = int(raw_index)
    else:
        raise StatusListError("MALFORMED_VALUE_ERROR", "De statusindex is ongeldig.",
                              "The status index is invalid.")
    if not isinstance(purpose, str):
        raise StatusListError("MALFORMED_VALUE_ERROR", "Het statusdoel ontbreekt.",
                              "The status purpose is missing.")
    return url, index, purpose


def read_status(list_credential: Any, index: int, purpose: str) -> bool:
    """Is ``index`` set in this list credential? Checks type and purpose first.

    The list's own proof is *not* checked here (that needs the proof machinery
    and a key resolver; the verification pipeline does it).
    """
    if not isinstance(list_credential, dict):
        raise StatusListError("STATUS_RETRIEVAL_ERROR", "De statuslijst is geen JSON-object.",
                              "The status list is not a JSON object.")
    types = list_credential.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if "BitstringStatusListCredential" not in types:
        raise StatusListError("STATUS_VERIFICATION_ERROR",
                              "Het document is geen BitstringStatusListCredential.",
                              "The document is not a BitstringStatusListCredential.")
    subject = list_credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, dict):
        raise StatusListError("STATUS_VERIFICATION_ERROR", "De statuslijst heeft geen inhoud.",
                              "The status list has no subject.")
    list_purpose = subject.get("statusPurpose")
    purposes = list_purpose if isinstance(list_purpose, list) else [list_purpose]
    if purpose not in purposes:
        raise StatusListError("STATUS_VERIFICATION_ERROR",
                              "Het doel van de statuslijst past niet bij de vermelding.",
                              "The status list's purpose does not match the entry.")
    return is_set(_decoded(subject.get("encodedList")), index)


def is_list_credential(doc: Any) -> bool:
    """Is ``doc`` (by its type) a ``BitstringStatusListCredential``?"""
    types = doc.get("type") if isinstance(doc, dict) else None
    return "BitstringStatusListCredential" in (types if isinstance(types, list) else [types])


def list_shape_errors(doc: dict[str, Any]) -> list[str]:
    """What makes ``doc`` not a usable ``BitstringStatusListCredential`` (empty when usable).

    The counterpart of the OB 3.0 schema for the lists a verifier reads: a subject
    of type BitstringStatusList with a purpose and a list that decodes to at least
    the specification's minimum size.
    """
    errors: list[str] = []
    types = doc.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        errors.append("type: VerifiableCredential missing")
    if not doc.get("issuer"):
        errors.append("issuer: missing")
    subject = doc.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") not in (
            "BitstringStatusList", ["BitstringStatusList"]):
        return [*errors, "credentialSubject: not a BitstringStatusList"]
    purpose = subject.get("statusPurpose")
    if not all(isinstance(p, str) and p for p in (purpose if isinstance(purpose, list)
                                                  else [purpose])):
        errors.append("credentialSubject/statusPurpose: missing")
    try:
        size = len(_decoded(subject.get("encodedList"))) * 8
    except StatusListError as exc:
        return [*errors, f"credentialSubject/encodedList: {exc.message_en}"]
    if size < STATUS_LIST_SIZE:
        errors.append(f"credentialSubject/encodedList: fewer than {STATUS_LIST_SIZE} bits")
    return errors


#: Decoded lists by their encoded text: a verifier reads the same few lists for
#: every credential of an issuer, and inflating 16 kB for one bit each time is waste.
_decoded_lists: dict[str, bytes] = {}


def _decoded(value: Any) -> bytes:
    if isinstance(value, str):
        got = _decoded_lists.get(value)
        if got is not None:
            return got
    bits = bytes(decode_bitstring(value))
    if isinstance(value, str) and len(bits) <= 1 << 20:  # a hostile list may be 16 MB: skip it
        if len(_decoded_lists) >= 64:
            _decoded_lists.clear()
        _decoded_lists[value] = bits
    return bits


def random_free_index(bits: bytes | bytearray, rng: random.Random | None = None) -> int:
    """A uniformly random index whose bit is 0 in an *allocation* bitmap.

    Random (not sequential) allocation stops an observer from inferring issue
    order or volume from index values. The database owns allocation; this is
    the pure helper it may use. Raises ValueError when the list is full.
    """
    rng = rng or random.SystemRandom()
    total = len(bits) * 8
    if total == 0:
        raise ValueError("empty bitmap")
    for _ in range(64):
        candidate = rng.randrange(total)
        if not is_set(bits, candidate):
            return candidate
    start = rng.randrange(total)  # nearly full: scan once from a random point
    for offset in range(total):
        candidate = (start + offset) % total
        if not is_set(bits, candidate):
            return candidate
    raise ValueError("status list is full")
