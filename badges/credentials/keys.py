"""Ed25519 keys: generation, Multikey/JWK/did:key encodings, encryption at rest.

Why these encodings: Data Integrity verifiers find our public key through a
``Multikey`` verification method in the issuer's controller document (the
``z6Mk…`` string is base58btc multibase of the multicodec prefix 0xed01 and the
32-byte key); VC-JWT verifiers use JWK; ``did:key`` is the same Multikey
string, so a credential can be checked without reaching us at all.

Private keys live in the database only encrypted with AES-256-GCM under a key
derived (HKDF-SHA256) from the service's configuration secret. The blob carries
a format version byte and a fresh random nonce, and the version byte is bound
into the AEAD associated data, so :func:`reencrypt_private_key` can rotate the
secret and a later format can coexist with this one.
"""

from __future__ import annotations

import base64
import os
import re
from typing import Any

import base58
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .loader import DID_V1, MULTIKEY_V1

ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub (varint 0xed)
ED25519_PRIV_PREFIX = b"\x80\x26"  # multicodec ed25519-priv (varint 0x1300)
BLOB_VERSION = 1
_HKDF_INFO = b"skillspas/ed25519-private-key/v1"
_NONCE_BYTES = 12


class KeyFormatError(ValueError):
    """A key encoding is malformed or of the wrong type."""


class KeyDecryptionError(ValueError):
    """An encrypted key blob is corrupt, tampered with, or the secret is wrong."""


def generate_ed25519() -> Ed25519PrivateKey:
    """A fresh Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def _raw_public(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private(priv: Ed25519PrivateKey) -> bytes:
    return priv.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


#: Multibase base58btc, exactly: the ``z`` prefix, then only the Bitcoin alphabet.
_BASE58BTC = re.compile(r"z[1-9A-HJ-NP-Za-km-z]+")


def decode_base58btc_multibase(value: object) -> bytes:
    """Decode ``z…`` multibase strictly; raises :class:`ValueError` for anything else.

    Why not ``base58.b58decode`` alone: it strips surrounding whitespace first,
    so ``"z…\r"`` decoded to the same bytes as ``"z…"`` — an altered proof or
    key would still have been accepted.
    """
    if not isinstance(value, str) or not _BASE58BTC.fullmatch(value):
        raise ValueError("not base58btc multibase: 'z' then only base58btc characters")
    return base58.b58decode(value[1:])


def public_key_multibase(pub: Ed25519PublicKey) -> str:
    """Multikey ``publicKeyMultibase`` (``z6Mk…``)."""
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + _raw_public(pub)).decode("ascii")


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Parse a ``z6Mk…`` Multikey value; raises :class:`KeyFormatError`."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyFormatError("publicKeyMultibase must be base58btc multibase ('z…')")
    try:
        raw = decode_base58btc_multibase(value)
    except ValueError as exc:
        raise KeyFormatError("publicKeyMultibase is not valid base58btc") from exc
    if len(raw) != 34 or raw[:2] != ED25519_PUB_PREFIX:
        raise KeyFormatError("publicKeyMultibase is not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_multibase(priv: Ed25519PrivateKey) -> str:
    """Multikey ``secretKeyMultibase`` (``z3u2…``), for test vectors and export."""
    return "z" + base58.b58encode(ED25519_PRIV_PREFIX + _raw_private(priv)).decode("ascii")


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    """Parse a ``z3u2…`` Multikey secret key; raises :class:`KeyFormatError`."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyFormatError("secretKeyMultibase must be base58btc multibase ('z…')")
    try:
        raw = decode_base58btc_multibase(value)
    except ValueError as exc:
        raise KeyFormatError("secretKeyMultibase is not valid base58btc") from exc
    if len(raw) != 34 or raw[:2] != ED25519_PRIV_PREFIX:
        raise KeyFormatError("secretKeyMultibase is not an Ed25519 private key")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def _derive(secret: str, salt: bytes) -> bytes:
    if not secret:
        raise ValueError("an encryption secret is required")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_HKDF_INFO).derive(
        secret.encode("utf-8")
    )


def encrypt_private_key(priv: Ed25519PrivateKey, secret: str) -> bytes:
    """``version(1) || salt(16) || nonce(12) || AES-256-GCM(seed)``; secret via HKDF."""
    salt = os.urandom(16)
    nonce = os.urandom(_NONCE_BYTES)
    header = bytes([BLOB_VERSION]) + salt
    sealed = AESGCM(_derive(secret, salt)).encrypt(nonce, _raw_private(priv), header)
    return header + nonce + sealed


def decrypt_private_key(blob: bytes, secret: str) -> Ed25519PrivateKey:
    """Inverse of :func:`encrypt_private_key`; raises :class:`KeyDecryptionError`."""
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise KeyDecryptionError("encrypted key must be bytes")
    blob = bytes(blob)
    if len(blob) < 1 + 16 + _NONCE_BYTES + 32 + 16 or blob[0] != BLOB_VERSION:
        raise KeyDecryptionError("unknown or truncated encrypted key format")
    header, nonce, sealed = blob[:17], blob[17:29], blob[29:]
    try:
        seed = AESGCM(_derive(secret, header[1:])).decrypt(nonce, sealed, header)
    except InvalidTag as exc:
        raise KeyDecryptionError("encrypted key failed authentication") from exc
    return Ed25519PrivateKey.from_private_bytes(seed)


def reencrypt_private_key(blob: bytes, old_secret: str, new_secret: str) -> bytes:
    """Rotate the configuration secret: decrypt with the old, encrypt with the new."""
    return encrypt_private_key(decrypt_private_key(blob, old_secret), new_secret)


def multikey_method(vm_id: str, controller: str, pub: Ed25519PublicKey) -> dict[str, Any]:
    """A ``Multikey`` verification method."""
    return {
        "id": vm_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_key_multibase(pub),
    }


def controller_document(
    controller_id: str, methods: list[dict[str, Any]], *, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The issuer's controller document: what its ``id`` URL dereferences to.

    Every method is listed under ``assertionMethod`` (credentials are
    assertions); ``extra`` adds e.g. the issuer Profile fields.
    """
    doc: dict[str, Any] = {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": controller_id,
        "verificationMethod": [dict(m) for m in methods],
        "assertionMethod": [m["id"] for m in methods],
    }
    if extra:
        for key, value in extra.items():
            if key in doc:
                raise ValueError(f"extra may not override {key!r}")
            doc[key] = value
    return doc


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk_from_public(pub: Ed25519PublicKey, kid: str) -> dict[str, Any]:
    """RFC 8037 OKP JWK for an Ed25519 public key."""
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(_raw_public(pub)), "kid": kid,
            "alg": "EdDSA", "use": "sig"}


def public_key_from_jwk(jwk: dict[str, Any]) -> Ed25519PublicKey:
    """Inverse of :func:`jwk_from_public`; raises :class:`KeyFormatError`."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or not isinstance(jwk.get("x"), str):
        raise KeyFormatError("not an OKP/Ed25519 JWK")
    try:
        raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
    except ValueError as exc:
        raise KeyFormatError("JWK 'x' is not base64url") from exc
    if len(raw) != 32:
        raise KeyFormatError("JWK 'x' is not a 32-byte Ed25519 key")
    return Ed25519PublicKey.from_public_bytes(raw)


def did_key_from_public(pub: Ed25519PublicKey) -> str:
    """``did:key:z6Mk…`` for the key (its verification method is ``…#z6Mk…``)."""
    return "did:key:" + public_key_multibase(pub)


def public_key_from_did_key(did: str) -> Ed25519PublicKey:
    """Public key of a ``did:key`` DID or DID URL (``did:key:z6Mk…#z6Mk…``)."""
    if not isinstance(did, str) or not did.startswith("did:key:"):
        raise KeyFormatError("not a did:key")
    return public_key_from_multibase(did[len("did:key:"):].split("#", 1)[0])
