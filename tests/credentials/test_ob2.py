"""Open Badges 2.0: signed (RS256 JWS) and hosted assertions, always offline (NullFetcher)."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from badges.credentials import ob2
from badges.credentials.fetch import NullFetcher
from badges.credentials.verify import verify_input
from tests.interop_data import SAMPLES

ISSUER = "https://oldbadges.test/issuer"
KEY_URL = "https://oldbadges.test/key"
BADGE_URL = "https://oldbadges.test/badge"
NOW = datetime(2026, 3, 1, tzinfo=UTC)
EMAIL = "Henk@Example.nl"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _assertion(kind: str = "signed", **extra: object) -> dict:
    verification = ({"type": "SignedBadge", "creator": KEY_URL} if kind == "signed"
                    else {"type": "HostedBadge"})
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://oldbadges.test/assertions/1" if kind == "hosted" else "urn:uuid:ob2-1",
        "recipient": {"type": "email", "hashed": True, "salt": "pepper",
                      "identity": ob2.hash_identity(EMAIL.lower(), "pepper")},
        "badge": BADGE_URL,
        "issuedOn": "2019-06-01T00:00:00Z",
        "verification": verification,
        **extra,
    }


def _documents(key: rsa.RSAPrivateKey, **issuer_extra: object) -> dict:
    return {
        KEY_URL: {"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
                  "id": KEY_URL, "owner": ISSUER, "publicKeyPem": _pem(key)},
        BADGE_URL: {"type": "BadgeClass", "id": BADGE_URL, "name": "Heftruck rijden",
                    "description": "Veilig heftruck rijden", "issuer": ISSUER,
                    "criteria": {"narrative": "Praktijkexamen"}},
        ISSUER: {"type": "Issuer", "id": ISSUER, "name": "Opleider BV",
                 "publicKey": KEY_URL, **issuer_extra},
    }


def _sign(key: rsa.RSAPrivateKey, assertion: dict) -> str:
    return pyjwt.encode(assertion, key, algorithm="RS256")


def test_signed_assertion_valid_with_fetched_key(rsa_key: rsa.RSAPrivateKey) -> None:
    token = _sign(rsa_key, _assertion())
    report = verify_input(token, fetcher=NullFetcher(_documents(rsa_key)), now=NOW,
                          recipient_email=EMAIL)
    assert report.format == "ob2-signed"
    assert report.verdict == "valid", report.to_dict()
    assert report.credential["name"] == "Heftruck rijden"
    assert report.credential["issuer"]["name"] == "Opleider BV"
    assert report.credential["recipient"]["hashed"] is True
    assert report.check("recipient").status == "pass"


def test_signed_assertion_offline_is_indeterminate(rsa_key: rsa.RSAPrivateKey) -> None:
    report = verify_input(_sign(rsa_key, _assertion()), now=NOW)
    assert report.verdict == "indeterminate"
    assert report.check("proof").status == "warning"
    assert report.verified is False


def test_signed_assertion_tampered(rsa_key: rsa.RSAPrivateKey) -> None:
    token = _sign(rsa_key, _assertion())
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    report = verify_input(token, fetcher=NullFetcher(_documents(other)), now=NOW)
    assert report.verdict == "invalid"
    assert report.check("proof").status == "fail"


def test_key_owned_by_someone_else_is_unconfirmed(rsa_key: rsa.RSAPrivateKey) -> None:
    docs = _documents(rsa_key)
    docs[KEY_URL] = {**docs[KEY_URL], "owner": "https://other.test/issuer"}
    report = verify_input(_sign(rsa_key, _assertion()), fetcher=NullFetcher(docs), now=NOW)
    assert report.check("key_binding").status == "warning"
    assert report.verdict == "indeterminate"


def test_revoked_and_expired(rsa_key: rsa.RSAPrivateKey) -> None:
    fetcher = NullFetcher(_documents(rsa_key))
    revoked = verify_input(_sign(rsa_key, _assertion(revoked=True, revocationReason="fraude")),
                           fetcher=fetcher, now=NOW)
    assert revoked.verdict == "revoked"
    expired = verify_input(_sign(rsa_key, _assertion(expires="2020-01-01T00:00:00Z")),
                           fetcher=fetcher, now=NOW)
    assert expired.verdict == "expired"


def test_issuer_revocation_list(rsa_key: rsa.RSAPrivateKey) -> None:
    docs = _documents(rsa_key, revocationList="https://oldbadges.test/revoked")
    docs["https://oldbadges.test/revoked"] = {"type": "RevocationList",
                                              "revokedAssertions": [{"id": "urn:uuid:ob2-1"}]}
    report = verify_input(_sign(rsa_key, _assertion()), fetcher=NullFetcher(docs), now=NOW)
    assert report.verdict == "revoked"


def test_hosted_assertion(rsa_key: rsa.RSAPrivateKey) -> None:
    assertion = _assertion("hosted")
    docs = {**_documents(rsa_key), assertion["id"]: assertion}
    assert verify_input(assertion, fetcher=NullFetcher(docs), now=NOW).verdict == "valid"
    offline = verify_input(assertion, now=NOW)
    assert offline.verdict == "indeterminate"
    assert "could not be checked" in offline.check("key_binding").message_en
    # the hosted copy disagrees (e.g. revoked since): the issuer's copy wins
    docs[assertion["id"]] = {**assertion, "revoked": True}
    assert verify_input(assertion, fetcher=NullFetcher(docs), now=NOW).verdict == "revoked"


def test_hosted_on_foreign_origin_is_invalid(rsa_key: rsa.RSAPrivateKey) -> None:
    assertion = {**_assertion("hosted"), "id": "https://evil.test/assertions/1"}
    docs = {**_documents(rsa_key), assertion["id"]: assertion}
    assert verify_input(assertion, fetcher=NullFetcher(docs), now=NOW).verdict == "invalid"


def test_signed_json_without_jws_is_not_signed() -> None:
    report = verify_input(_assertion(), now=NOW)
    assert report.verdict == "invalid"
    assert "Not signed" in report.check("proof").message_en


def test_identity_matching() -> None:
    hashed = ob2.hash_identity("henk@example.nl", "s")
    assert ob2.identity_matches(hashed, True, "s", "HENK@example.nl")
    assert not ob2.identity_matches(hashed, True, "s", "ben@example.nl")
    assert ob2.identity_matches("Henk@Example.nl", False, None, "henk@example.nl")
    assert not ob2.identity_matches("sha1$abc", True, "", "henk@example.nl")


def test_verify_signed_rejects_non_rs256(rsa_key: rsa.RSAPrivateKey) -> None:
    token = pyjwt.encode(_assertion(), "k" * 64, algorithm="HS256")
    with pytest.raises(ob2.Ob2Error) as err:
        ob2.verify_signed(token, _pem(rsa_key))
    assert err.value.code == "unsupported_alg"


def test_ob2_baked_png_is_routed_to_ob2(rsa_key: rsa.RSAPrivateKey) -> None:
    import struct
    import zlib

    token = _sign(rsa_key, _assertion())
    data = b"openbadges\x00\x00\x00\x00\x00" + token.encode()
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(
        ">I", zlib.crc32(b"iTXt" + data) & 0xFFFFFFFF)
    png = (SAMPLES / "simple-json.png").read_bytes()
    start = png.find(b"openbadgecredential") - 8  # drop the OB 3.0 chunk, add the OB 2.0 one
    length = struct.unpack(">I", png[start:start + 4])[0]
    png = png[:start] + chunk + png[start + 12 + length:]
    report = verify_input(png, fetcher=NullFetcher(_documents(rsa_key)), now=NOW)
    assert report.format == "ob2-signed" and report.verdict == "valid"
