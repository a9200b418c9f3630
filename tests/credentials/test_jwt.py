"""VC-JWT: EdDSA signing, multi-algorithm verification, refusal of none/HMAC."""

from __future__ import annotations

import base64
import json

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from badges.credentials import keys
from badges.credentials.baking import extract_png, extract_svg
from badges.credentials.data_integrity import ProofError
from badges.credentials.jwt import decode_vc_jwt, looks_like_jwt, sign_vc_jwt, verify_vc_jwt
from tests.interop_data import SAMPLES

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "urn:uuid:11111111-2222-3333-4444-555555555555",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://skillspas.test/issuers/roc-x", "type": ["Profile"], "name": "ROC X"},
    "validFrom": "2026-03-01T09:00:00Z",
    "validUntil": "2031-03-01T09:00:00Z",
    "name": "Keuzedeel Duurzaamheid",
    "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"]},
}
KID = "https://skillspas.test/issuers/roc-x#key-1"


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def test_sign_sets_header_and_registered_claims() -> None:
    key = keys.generate_ed25519()
    token = sign_vc_jwt(CREDENTIAL, key, KID)
    header, payload, credential = decode_vc_jwt(token)
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": KID}
    assert payload["iss"] == "https://skillspas.test/issuers/roc-x"
    assert payload["jti"] == CREDENTIAL["id"]
    assert payload["sub"] == "did:example:learner"
    assert payload["nbf"] == payload["iat"] == 1772355600
    assert payload["exp"] == 1930122000
    assert credential == CREDENTIAL
    assert looks_like_jwt(token)


def test_roundtrip_and_tamper() -> None:
    key = keys.generate_ed25519()
    token = sign_vc_jwt({**CREDENTIAL, "proof": {"type": "x"}}, key, KID)
    assert "proof" not in verify_vc_jwt(token, key.public_key())
    header, payload, sig = token.split(".")
    forged = _b64({**json.loads(base64.urlsafe_b64decode(payload + "==")), "name": "Diploma"})
    with pytest.raises(ProofError) as err:
        verify_vc_jwt(f"{header}.{forged}.{sig}", key.public_key())
    assert err.value.code == "bad_signature"
    with pytest.raises(ProofError):
        verify_vc_jwt(token, keys.generate_ed25519().public_key())


def test_expired_token_still_has_valid_signature() -> None:
    """Dates are the validity check's business: the report must say expired, not invalid."""
    key = keys.generate_ed25519()
    token = sign_vc_jwt({**CREDENTIAL, "validUntil": "2011-01-01T00:00:00Z"}, key, KID)
    assert verify_vc_jwt(token, key.public_key())["validUntil"] == "2011-01-01T00:00:00Z"


@pytest.mark.parametrize("alg", ["none", "HS256", "HS512"])
def test_refuses_none_and_hmac(alg: str) -> None:
    key = keys.generate_ed25519()
    body = _b64({**CREDENTIAL, "iss": CREDENTIAL["issuer"]["id"]})
    token = f"{_b64({'alg': alg, 'typ': 'JWT'})}.{body}."
    if alg.startswith("HS"):
        secret = "public-key-used-as-secret-" + "x" * 64
        token = pyjwt.encode(dict(CREDENTIAL), secret, algorithm=alg)
    with pytest.raises(ProofError) as err:
        verify_vc_jwt(token, key.public_key())
    assert err.value.code == "unsupported_alg"


def test_es256_and_rs256_verify() -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    payload = {"vc": CREDENTIAL, "iss": CREDENTIAL["issuer"]["id"]}  # VCDM 1.1 wrapper
    for private, alg in ((ec_key, "ES256"), (rsa_key, "RS256")):
        token = pyjwt.encode(payload, private, algorithm=alg)
        assert verify_vc_jwt(token, private.public_key())["name"] == CREDENTIAL["name"]
    with pytest.raises(ProofError) as err:  # an RSA key cannot check an ES256 token
        verify_vc_jwt(pyjwt.encode(payload, ec_key, algorithm="ES256"), rsa_key.public_key())
    assert err.value.code == "key_mismatch"


def test_claims_must_match_credential() -> None:
    key = keys.generate_ed25519()
    token = pyjwt.encode({**CREDENTIAL, "iss": "https://evil.test/"}, key, algorithm="EdDSA")
    with pytest.raises(ProofError) as err:
        verify_vc_jwt(token, key.public_key())
    assert err.value.code == "claims_mismatch"


def test_header_jwk_used_when_no_key_given() -> None:
    key = keys.generate_ed25519()
    jwk = keys.jwk_from_public(key.public_key(), KID)
    token = pyjwt.encode(dict(CREDENTIAL), key, algorithm="EdDSA", headers={"jwk": jwk})
    assert verify_vc_jwt(token)["id"] == CREDENTIAL["id"]
    with pytest.raises(ProofError) as err:
        verify_vc_jwt(sign_vc_jwt(CREDENTIAL, key, KID))
    assert err.value.code == "no_key"


def test_private_jwk_in_header_refused() -> None:
    key = keys.generate_ed25519()
    jwk = {**keys.jwk_from_public(key.public_key(), KID), "d": "AAAA"}
    token = pyjwt.encode(dict(CREDENTIAL), key, algorithm="EdDSA", headers={"jwk": jwk})
    with pytest.raises(ProofError) as err:
        verify_vc_jwt(token)
    assert err.value.code == "bad_jwk"


@pytest.mark.parametrize("token", ["", "a.b", "eyJ.eyJ.", "!!.??.x", "e30.WzFd.x", "x" * 3_000_000])
def test_decode_malformed(token: str) -> None:
    with pytest.raises(ProofError) as err:
        decode_vc_jwt(token)
    assert err.value.code == "malformed_jwt"


def test_baked_sample_tokens_verify_with_header_jwk() -> None:
    for text in (extract_png((SAMPLES / "simple-jwt.png").read_bytes()),
                 extract_svg((SAMPLES / "simple-jwt.svg").read_bytes())):
        assert text is not None
        assert verify_vc_jwt(text)["name"] == "Teamwork Badge"


def test_simple_jwt_sample_decodes_vc_wrapper() -> None:
    header, payload, credential = decode_vc_jwt((SAMPLES / "simple.jwt").read_text())
    assert header["alg"] == "RS256" and "vc" in payload
    assert credential["issuer"]["id"] == payload["iss"]
    with pytest.raises(ProofError) as err:
        verify_vc_jwt((SAMPLES / "simple.jwt").read_text())
    assert err.value.code == "no_key"
