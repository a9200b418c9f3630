"""The verification pipeline: every 1EdTech sample classified, our own credentials valid,
and hostile input turned into clean reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from badges.credentials import data_integrity, documents, keys, status_list
from badges.credentials.jwt import sign_vc_jwt
from badges.credentials.verify import (
    ResolvedKey,
    StaticKeyResolver,
    StaticStatusResolver,
    verify_credential_dict,
    verify_input,
)
from tests.interop_data import SAMPLES

ISSUER = "https://skillspas.test/issuers/roc-x"
VM = f"{ISSUER}#key-1"
LIST_URL = "https://skillspas.test/status/roc-x/1"
EMAIL = "vanessa@example.nl"
NOW = datetime(2026, 6, 1, tzinfo=UTC)

SIGNED_UNCONFIRMED = ["simple.json", "complete.json", "simple-context-version.json",
                      "simple-multiple-proofs.json", "simple-did-key-method.json",
                      "simple-json.png", "simple-json.svg", "simple-jwt.png", "simple-jwt.svg"]


@pytest.mark.parametrize("name", SIGNED_UNCONFIRMED)
def test_signed_samples_pass_proof_but_are_not_called_valid(name: str) -> None:
    report = verify_input((SAMPLES / name).read_bytes())
    assert report.check("proof").status == "pass", report.to_dict()
    assert report.verdict == "indeterminate"
    assert report.verified is False
    assert "signature is correct" in report.summary_en
    assert "handtekening klopt" in report.summary_nl
    binding = report.check("key_binding")
    if name == "simple-did-key-method.json":  # did:key binds the key to the DID itself ...
        assert binding.status == "pass"
        assert report.check("issuer_match").status == "warning"  # ... but not to urn:uuid issuer
    else:
        assert binding.status == "warning" and "unconfirmed" in binding.message_en


def test_simple_jwt_without_any_key_is_indeterminate() -> None:
    report = verify_input((SAMPLES / "simple.jwt").read_text())
    assert report.format == "jwt"
    assert report.check("proof").status == "warning"
    assert report.verdict == "indeterminate"


def test_broken_signature_is_invalid() -> None:
    report = verify_input((SAMPLES / "simple-err-proof-value.json").read_bytes())
    assert report.verdict == "invalid"
    assert report.check("proof").status == "fail"
    assert report.summary_en.startswith("Invalid")


def test_expired_sample_says_expired() -> None:
    report = verify_input((SAMPLES / "simple-err-expired.json").read_text())
    assert report.verdict == "expired"
    assert report.check("validity").status == "fail"
    assert "Expired" in report.check("validity").message_en
    assert report.summary_nl.startswith("Verlopen")


def test_noproof_is_not_signed() -> None:
    report = verify_input(json.loads((SAMPLES / "simple-noproof.json").read_text()))
    assert report.verdict == "invalid"
    assert "Not signed" in report.check("proof").message_en
    assert "Niet ondertekend" in report.check("proof").message_nl


def test_report_shape_and_summary() -> None:
    out = verify_input((SAMPLES / "complete.json").read_bytes()).to_dict()
    assert set(out) >= {"verified", "status", "verdict", "format", "checks", "credential",
                        "summary"}
    assert out["format"] == "json-ld" and out["status"] == out["verdict"]
    assert [c["id"] for c in out["checks"]] == ["input", "type", "schema", "proof",
                                                "key_binding", "issuer_match", "status",
                                                "validity", "recipient"]
    cred = out["credential"]
    assert cred["achievement"]["name"] == "1EdTech University Degree"
    assert cred["achievement"]["type"] == "Degree"
    assert cred["issuer"] == {"id": "https://1edtech.edu/issuers/565049",
                              "name": "1EdTech University"}
    assert cred["skills"][0]["framework"] == "1EdTech University Program and Course Catalog"
    assert len(cred["evidence"]) == 2 and cred["endorsements"]
    assert cred["recipient"]["display"] == "student@1edtech.edu"
    json.dumps(out)  # serialisable


# --------------------------------------------------------------- our own credentials

@pytest.fixture(scope="module")
def issuer_key():
    return keys.generate_ed25519()


def _own(key, **overrides) -> dict:
    doc = documents.build_credential(
        credential_id="https://skillspas.test/credentials/1",
        issuer=documents.IssuerData(id=ISSUER, name="ROC X"),
        achievement_data=documents.AchievementData(
            id="https://skillspas.test/achievements/k0123", name="Keuzedeel Duurzaamheid",
            description="Duurzaam werken in de zorg", criteria_narrative="Examen behaald",
            kind="ext:Keuzedeel"),
        recipient=documents.RecipientData(email=EMAIL),
        valid_from=overrides.pop("valid_from", datetime(2026, 3, 1, 9, tzinfo=UTC)),
        credential_status=[status_list.status_entry(LIST_URL, 7, "revocation")],
        **overrides,
    )
    return data_integrity.sign(doc, key, VM)


def _resolver(key, **kw) -> StaticKeyResolver:
    defaults = {"controller": ISSUER, "confirmed": True}
    return StaticKeyResolver({VM: ResolvedKey(key.public_key(), **{**defaults, **kw})})


def _lists(*set_bits: int) -> StaticStatusResolver:
    bits = status_list.new_bitstring()
    for i in set_bits:
        status_list.set_bit(bits, i)
    return StaticStatusResolver({LIST_URL: status_list.status_list_credential(
        LIST_URL, ISSUER, "revocation", bits, "2026-01-01T00:00:00Z")})


def test_own_credential_is_valid(issuer_key) -> None:
    report = verify_credential_dict(_own(issuer_key), key_resolver=_resolver(issuer_key),
                                    status_resolver=_lists(), recipient_email=EMAIL, now=NOW)
    assert report.verdict == "valid", report.to_dict()
    assert report.verified is True
    assert report.summary_nl == "Geldig: uitgegeven door ROC X op 1 maart 2026."
    assert report.summary_en.startswith("Valid: issued by ROC X")
    assert all(c.status in ("pass", "skipped") for c in report.checks)


def test_own_credential_as_jwt_png_and_svg(issuer_key) -> None:
    from badges.credentials.baking import bake_png, bake_svg

    unsigned = {k: v for k, v in _own(issuer_key).items() if k != "proof"}
    token = sign_vc_jwt(unsigned, issuer_key, VM)
    options = {"key_resolver": _resolver(issuer_key), "status_resolver": _lists(), "now": NOW}
    assert verify_input(token, **options).verdict == "valid"
    png = bake_png((SAMPLES / "simple-json.png").read_bytes(), token)
    assert verify_input(png, **options).verdict == "valid"
    svg = bake_svg((SAMPLES / "simple-json.svg").read_text(), _own(issuer_key))
    assert verify_input(svg.encode(), **options).verdict == "valid"


def test_own_credential_revoked_and_wrong_recipient(issuer_key) -> None:
    doc = _own(issuer_key)
    assert verify_input(doc, key_resolver=_resolver(issuer_key), status_resolver=_lists(7),
                        now=NOW).verdict == "revoked"
    other = verify_input(doc, key_resolver=_resolver(issuer_key), status_resolver=_lists(),
                         recipient_email="ben@example.nl", now=NOW)
    assert other.check("recipient").status == "fail" and other.verified is False


def test_impersonation_and_compromise(issuer_key) -> None:
    doc = _own(issuer_key)
    foreign = _resolver(issuer_key, controller="https://evil.test/issuer")
    assert verify_input(doc, key_resolver=foreign, status_resolver=_lists(),
                        now=NOW).verdict == "invalid"
    compromised = _resolver(issuer_key, compromised=True)
    report = verify_input(doc, key_resolver=compromised, status_resolver=_lists(), now=NOW)
    assert report.verdict == "invalid" and report.check("key_binding").status == "fail"


def test_not_yet_valid_and_tampered(issuer_key) -> None:
    future = _own(issuer_key, valid_from=datetime(2027, 1, 1, tzinfo=UTC))
    assert verify_input(future, key_resolver=_resolver(issuer_key), status_resolver=_lists(),
                        now=NOW).verdict == "not_yet_valid"
    doc = _own(issuer_key)
    doc["credentialSubject"]["achievement"]["name"] = "Diploma Verpleegkunde"
    assert verify_input(doc, key_resolver=_resolver(issuer_key), status_resolver=_lists(),
                        now=NOW).verdict == "invalid"


def test_status_list_signed_by_another_party_is_not_trusted(issuer_key) -> None:
    other = keys.generate_ed25519()
    bits = status_list.new_bitstring()
    forged = data_integrity.sign(status_list.status_list_credential(
        LIST_URL, ISSUER, "revocation", bits, "2026-01-01T00:00:00Z"), other,
        "https://evil.test/issuer#k")
    resolver = StaticKeyResolver({
        VM: ResolvedKey(issuer_key.public_key(), ISSUER, True),
        "https://evil.test/issuer#k": ResolvedKey(other.public_key(), "https://evil.test/issuer",
                                                  True)})
    report = verify_input(_own(issuer_key), key_resolver=resolver,
                          status_resolver=StaticStatusResolver({LIST_URL: forged}), now=NOW)
    assert report.check("status").status == "warning"
    assert report.verdict == "indeterminate"


def test_jwt_exp_claim_binds_even_without_valid_until(issuer_key) -> None:
    import jwt as pyjwt

    unsigned = {k: v for k, v in _own(issuer_key).items() if k != "proof"}
    payload = {**unsigned, "iss": ISSUER, "exp": 1_700_000_000}  # 2023
    token = pyjwt.encode(payload, issuer_key, algorithm="EdDSA", headers={"kid": VM})
    report = verify_input(token, key_resolver=_resolver(issuer_key), status_resolver=_lists(),
                          now=NOW)
    assert report.verdict == "expired"


def test_stale_status_list_is_indeterminate(issuer_key) -> None:
    stale = _lists().lists[LIST_URL] | {"validUntil": "2026-02-01T00:00:00Z"}
    report = verify_input(_own(issuer_key), key_resolver=_resolver(issuer_key),
                          status_resolver=StaticStatusResolver({LIST_URL: stale}), now=NOW)
    assert report.check("status").status == "warning"
    assert report.verdict == "indeterminate"


def test_naive_now_and_container_reported(issuer_key) -> None:
    from badges.credentials.baking import bake_png

    png = bake_png((SAMPLES / "simple-json.png").read_bytes(), _own(issuer_key))
    out = verify_input(png, key_resolver=_resolver(issuer_key), status_resolver=_lists(),
                       now=datetime(2026, 6, 1)).to_dict()
    assert out["verified"] is True and out["container"] == "png" and out["format"] == "json-ld"


@pytest.mark.parametrize("name,code", [
    ("simple-noproof.json", "missing_proof"),
    ("simple-err-proof-value.json", "invalid_signature"),
])
def test_failed_proof_carries_a_stable_code(name, code):
    report = verify_input((SAMPLES / name).read_bytes()).to_dict()
    proof = next(c for c in report["checks"] if c["id"] == "proof")
    assert proof["status"] == "fail" and proof["code"] == code
