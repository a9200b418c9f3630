"""The W3C VC-API: issue as an organisation, verify credentials and presentations."""

from __future__ import annotations

import copy

import jwt as pyjwt
import pytest

from badges.credentials import data_integrity, keys
from badges.kernel import urls
from badges.kernel.audit import AuditEvent
from badges.kernel.extensions import db
from badges.organisations.api_tokens import create_api_token
from tests._verify_support import org

COLLEGE = "maasvallei-zorg-welzijn"
OTHER = "vakcollege-techniek-brabant"
ISSUE = f"/vc-api/issuers/{COLLEGE}/credentials/issue"
V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"


@pytest.fixture
def tokens(app, demo):
    with app.app_context():
        return {"college": create_api_token(org(COLLEGE), "vc-api"),
                "other": create_api_token(org(OTHER), "vc-api")}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def credential(context=V2, **over):
    doc = {"@context": [context], "type": ["VerifiableCredential"],
           "id": "urn:uuid:3f1c2a52-8e0a-4c1e-9d43-2b1f2a0f5e11",
           "credentialSubject": {"id": "did:example:learner"}}
    return {**doc, **over}


def issue(client, tokens, doc=None, **kw):
    return client.post(ISSUE, json={"credential": doc or credential(), "options": {}},
                       headers=bearer(tokens["college"]), **kw)


def test_issue_signs_a_vc2_credential_as_the_organisation(client, tokens, app):
    response = issue(client, tokens)
    assert response.status_code == 201, response.get_json()
    signed = response.get_json()["verifiableCredential"]
    with app.app_context():
        assert signed["issuer"] == urls.issuer_id(COLLEGE)
        assert db.session.scalar(db.select(AuditEvent).filter_by(
            action="vcapi.issue", organisation_id=org(COLLEGE).id)) is not None
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["verificationMethod"].startswith(urls_prefix(app))
    verified = client.post("/vc-api/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 200, verified.get_json()
    body = verified.get_json()
    assert body["verified"] is True and "proof" in body["checks"] and body["errors"] == []


def urls_prefix(app):
    with app.app_context():
        return urls.issuer_id(COLLEGE)


def test_issue_accepts_a_vc11_credential_and_it_verifies(client, tokens):
    response = issue(client, tokens, credential(V1))
    assert response.status_code == 201, response.get_json()
    signed = response.get_json()["verifiableCredential"]
    assert signed["@context"][0] == V1 and "issuanceDate" in signed
    verified = client.post("/vc-api/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 200, verified.get_json()


def test_a_tampered_credential_is_400_with_errors(client, tokens):
    signed = issue(client, tokens).get_json()["verifiableCredential"]
    signed["credentialSubject"]["id"] = "did:example:someone-else"
    response = client.post("/vc-api/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 400
    body = response.get_json()
    assert body["verified"] is False
    assert any(e["id"] == "proof" for e in body["errors"])


def test_an_unsigned_or_non_vc_document_does_not_verify(client):
    response = client.post("/vc-api/credentials/verify",
                           json={"verifiableCredential": {"@context": [V2], "type": ["Thing"]}})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["code"] == "not_a_credential"


def test_a_wrong_token_is_401(client, tokens):
    response = client.post(ISSUE, json={"credential": credential()},
                           headers=bearer("not-a-token"))
    assert response.status_code == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_another_organisations_slug_is_403(client, tokens):
    response = client.post(ISSUE, json={"credential": credential()},
                           headers=bearer(tokens["other"]))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_another_issuer_named_in_the_credential_is_refused(client, tokens):
    response = issue(client, tokens, credential(issuer="https://elders.example/issuer"))
    assert response.status_code == 403
    assert response.get_json()["code"] == "issuer_mismatch"


def test_an_unknown_context_is_400_with_a_plain_reason(client, tokens):
    doc = credential()
    doc["@context"].append("https://evil.example/context.jsonld")
    response = issue(client, tokens, doc)
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "unknown_context"
    assert "evil.example" in body["detail"] and "kennen wij niet" in body["detail_nl"]


def test_an_undefined_term_is_400_not_500(client, tokens):
    response = issue(client, tokens, credential(**{"undefinedTerm": "x"}))
    assert response.status_code == 400
    assert response.get_json()["code"] == "canonicalization_failed"


def test_an_oversized_body_is_413(client, tokens):
    doc = credential(credentialSubject={"id": "did:example:x", "name": "x" * 300_000})
    response = issue(client, tokens, doc)
    assert response.status_code == 413
    assert response.get_json()["code"] == "too_large"


def test_malformed_json_is_400_problem(client, tokens):
    response = client.post(ISSUE, data=b"{not json", content_type="application/json",
                           headers=bearer(tokens["college"]))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_an_unsupported_cryptosuite_is_400(client, tokens):
    response = client.post(ISSUE, json={"credential": credential(),
                                        "options": {"cryptosuite": "ecdsa-rdfc-2019"}},
                           headers=bearer(tokens["college"]))
    assert response.status_code == 400
    assert response.get_json()["code"] == "unsupported_cryptosuite"


def _presentation(credentials, holder_key=None, challenge=None):
    vp = {"@context": [V2], "type": ["VerifiablePresentation"],
          "verifiableCredential": credentials}
    if holder_key is not None:
        did = keys.did_key_from_public(holder_key.public_key())
        method = f"{did}#{did.split(':')[-1]}"
        vp["holder"] = did
        vp = data_integrity.sign(vp, holder_key, method, proof_purpose="authentication")
        if challenge:  # a challenge not covered by the signature: the proof must fail
            vp["proof"]["challenge"] = challenge
    return vp


def test_a_presentation_verifies_with_its_proof_and_credentials(client, tokens):
    signed = issue(client, tokens).get_json()["verifiableCredential"]
    vp = _presentation([signed], keys.generate_ed25519())
    response = client.post("/vc-api/presentations/verify", json={"verifiablePresentation": vp})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["credentialResults"][0]["verified"] is True


def test_a_presentation_with_a_tampered_credential_or_proof_is_400(client, tokens):
    signed = issue(client, tokens).get_json()["verifiableCredential"]
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["id"] = "did:example:other"
    response = client.post("/vc-api/presentations/verify",
                           json={"verifiablePresentation": _presentation([tampered])})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["code"] == "credential_not_verified"
    vp = _presentation([signed], keys.generate_ed25519(), challenge="abc")
    response = client.post("/vc-api/presentations/verify",
                           json={"verifiablePresentation": vp})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["code"] == "invalid_signature"


def _did_key(private):
    did = keys.did_key_from_public(private.public_key())
    return did, f"{did}#{did.split(':')[-1]}"


def test_a_proof_set_verifies_when_one_proof_is_the_issuers(client):
    """A witness's proof beside the issuer's (a proof set) must not hide the issuer's key."""
    witness, issuer = keys.generate_ed25519(), keys.generate_ed25519()
    issuer_did, issuer_method = _did_key(issuer)
    doc = credential(issuer=issuer_did)
    doc = data_integrity.sign(doc, witness, _did_key(witness)[1])
    doc = data_integrity.sign(doc, issuer, issuer_method)
    assert len(doc["proof"]) == 2
    response = client.post("/vc-api/credentials/verify", json={"verifiableCredential": doc})
    assert response.status_code == 200, response.get_json()


def test_an_embedded_context_object_is_accepted(client, tokens):
    doc = credential(type=["VerifiableCredential", "ExampleCredential"])
    doc["@context"].append({"ExampleCredential": "https://example.org/ExampleCredential"})
    response = issue(client, tokens, doc)
    assert response.status_code == 201, response.get_json()
    signed = response.get_json()["verifiableCredential"]
    verified = client.post("/vc-api/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 200, verified.get_json()


def test_an_embedded_context_that_imports_a_remote_one_is_400(client, tokens):
    doc = credential()
    doc["@context"].append({"@import": "https://evil.example/context.jsonld"})
    response = issue(client, tokens, doc)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def _signed_did_key(**over):
    private = keys.generate_ed25519()
    did, method = _did_key(private)
    return data_integrity.sign(credential(issuer=did, **over), private, method)


@pytest.mark.parametrize("over", [
    {"validFrom": "2024-01-01"},                      # not an xsd:dateTimeStamp
    {"validUntil": "2030-01-01T00:00:00"},            # no time zone
    {"credentialStatus": {"id": "https://example.org/status#1"}},  # no type
    {"credentialSchema": {"id": "https://example.org/schema.json"}},  # no type
    {"termsOfUse": {"id": "https://example.org/terms"}},  # no type
    {"evidence": [{"id": "https://example.org/evidence"}]},  # no type
    {"refreshService": {"id": "https://example.org/refresh"}},  # no type
    {"relatedResource": ["https://example.org/a"]},   # not objects
    {"relatedResource": [{"id": "https://example.org/a"}]},  # no digest
    {"relatedResource": [{"id": "https://example.org/a", "digestSRI": "sha384-x"},
                         {"id": "https://example.org/a", "digestSRI": "sha384-y"}]},  # same id
])
def test_the_verifier_enforces_the_vc_data_model(client, over):
    response = client.post("/vc-api/credentials/verify",
                           json={"verifiableCredential": _signed_did_key(**over)})
    assert response.status_code == 400, (over, response.get_json())
    assert response.get_json()["errors"][0]["id"] == "type"


def test_a_well_formed_generic_vc_verifies(client):
    doc = _signed_did_key(validFrom="2024-01-01T00:00:00Z",
                          credentialSchema={"id": "https://example.org/s.json",
                                            "type": "JsonSchema"},
                          relatedResource=[{"id": "https://example.org/a",
                                            "digestSRI": "sha384-x"}])
    response = client.post("/vc-api/credentials/verify", json={"verifiableCredential": doc})
    assert response.status_code == 200, response.get_json()


STATUS = f"/vc-api/issuers/{COLLEGE}/credentials/status"


def _status(client, token, credential_id, purpose, **extra):
    return client.post(STATUS, headers=bearer(token), json={
        "credentialId": credential_id,
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose,
                             **extra}})


def test_issued_vc2_credentials_carry_status_entries_and_can_be_revoked(client, tokens, app):
    signed = issue(client, tokens).get_json()["verifiableCredential"]
    purposes = sorted(e["statusPurpose"] for e in signed["credentialStatus"])
    assert purposes == ["revocation", "suspension"]
    response = _status(client, tokens["college"], signed["id"], "revocation")
    assert response.status_code == 200, response.get_json()
    verified = client.post("/vc-api/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 400
    assert any(e["id"] == "status" for e in verified.get_json()["errors"])
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent).filter_by(
            action="vcapi.status.revocation")) is not None


def test_a_suspension_can_be_lifted(client, tokens):
    signed = issue(client, tokens).get_json()["verifiableCredential"]
    assert _status(client, tokens["college"], signed["id"], "suspension").status_code == 200
    assert client.post("/vc-api/credentials/verify",
                       json={"verifiableCredential": signed}).status_code == 400
    lifted = _status(client, tokens["college"], signed["id"], "suspension", status=False)
    assert lifted.status_code == 200
    assert client.post("/vc-api/credentials/verify",
                       json={"verifiableCredential": signed}).status_code == 200


def test_status_needs_the_organisations_own_token_and_credential(client, tokens):
    signed = issue(client, tokens).get_json()["verifiableCredential"]
    assert _status(client, "nope", signed["id"], "revocation").status_code == 401
    assert _status(client, tokens["other"], signed["id"], "revocation").status_code == 403
    unknown = _status(client, tokens["college"], "urn:uuid:not-signed-here", "revocation")
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
    bad = _status(client, tokens["college"], signed["id"], "expiry")
    assert bad.status_code == 400 and bad.get_json()["code"] == "bad_statusPurpose"


def test_publishing_a_status_list_is_204(client, tokens):
    signed = issue(client, tokens).get_json()["verifiableCredential"]
    list_url = signed["credentialStatus"][0]["statusListCredential"]
    path = list_url.split("://", 1)[1].split("/", 1)[1]
    assert client.post(f"/{path}/publish").status_code == 204
    assert client.post("/status/no-such-list/publish").status_code == 404


@pytest.mark.parametrize("over", [
    {"id": None},                                     # an id must be one URL
    {"id": ["urn:uuid:1", "urn:uuid:2"]},
    {"validFrom": "2024-01-01"},
    {"credentialStatus": {"id": "https://example.org/status#1"}},
    {"termsOfUse": {"id": "https://example.org/terms"}},
    {"relatedResource": [{"id": "https://example.org/a"}]},
])
def test_the_issuer_refuses_what_breaks_the_vc_data_model(client, tokens, over):
    response = issue(client, tokens, credential(**over))
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["code"] == "data_model"


def test_an_open_badge_keeps_the_ob3_rules(client, tokens):
    doc = credential(type=["VerifiableCredential", "OpenBadgeCredential"],
                     validFrom="2026-01-01T00:00:00Z")
    doc["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")
    response = issue(client, tokens, doc)  # the subject has no achievement
    assert response.status_code == 400, response.get_json()
    body = response.get_json()
    assert body["code"] == "ob3_schema" and "achievement" in body["detail"]


def test_an_open_badge_issued_through_the_vc_api_verifies(client, tokens, ours):
    doc = {k: v for k, v in copy.deepcopy(ours.document).items()
           if k not in ("proof", "credentialStatus")}
    doc["id"] = "urn:uuid:0b6f7f7e-4f0e-4f57-9a55-6b1c3f0f2a01"
    response = issue(client, tokens, doc)
    assert response.status_code == 201, response.get_json()
    signed = response.get_json()["verifiableCredential"]
    verified = client.post("/vc-api/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 200, verified.get_json()
    assert "schema" in verified.get_json()["checks"]  # the OB 3.0 rules ran


def test_an_open_badge_can_be_revoked_but_not_suspended(client, tokens, ours):
    doc = {k: v for k, v in copy.deepcopy(ours.document).items()
           if k not in ("proof", "credentialStatus")}
    doc["id"] = "urn:uuid:5d0b1c9e-2b8f-4a51-8f0e-7a3c4d5e6f70"
    signed = issue(client, tokens, doc).get_json()["verifiableCredential"]
    assert signed["credentialStatus"]["statusPurpose"] == "revocation"
    assert _status(client, tokens["college"], doc["id"], "suspension").status_code == 409
    assert _status(client, tokens["college"], doc["id"], "revocation").status_code == 200
    assert client.post("/vc-api/credentials/verify",
                       json={"verifiableCredential": signed}).status_code == 400


@pytest.mark.parametrize("path", ["/vc-api/credentials/verify", "/vc-api/presentations/verify",
                                  ISSUE])
def test_deeply_nested_or_non_object_bodies_are_4xx(client, tokens, path):
    for raw in (b"[" * 5000 + b"]" * 5000, b"[]", b"\"text\"", b"\xff\xfe"):
        response = client.post(path, data=raw, content_type="application/json",
                               headers=bearer(tokens["college"]))
        assert response.status_code == 400, (raw[:10], response.status_code)
        assert response.mimetype == "application/problem+json"


def test_issue_as_vc_jwt_when_asked_and_it_verifies(client, tokens, app):
    """#18: "VC-JWT when asked": options.format vc+jwt → an EnvelopedVerifiableCredential."""
    response = client.post(ISSUE, json={"credential": credential(),
                                       "options": {"format": "vc+jwt"}}, headers=bearer(tokens["college"]))
    assert response.status_code == 201, response.get_json()
    enveloped = response.get_json()["verifiableCredential"]
    assert enveloped["type"] == "EnvelopedVerifiableCredential" and enveloped["@context"] == V2
    assert enveloped["id"].startswith("data:application/vc+jwt,")
    token = enveloped["id"].split(",", 1)[1]
    header = pyjwt.get_unverified_header(token)
    payload = pyjwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == "EdDSA" and header["kid"].startswith(urls_prefix(app))
    assert payload["issuer"] == urls_prefix(app) and "proof" not in payload
    assert payload["credentialStatus"]  # status entries as for Data Integrity
    verified = client.post("/vc-api/credentials/verify", json={"verifiableCredential": enveloped})
    assert verified.status_code == 200, verified.get_json()
    tampered = dict(enveloped, id=enveloped["id"][:-4] + "AAAA")
    refused = client.post("/vc-api/credentials/verify", json={"verifiableCredential": tampered})
    assert refused.status_code == 400


def test_vc_jwt_of_a_vc11_credential_or_an_unknown_format_is_400(client, tokens):
    for doc, options, code in ((credential(V1), {"format": "vc+jwt"}, "jwt_needs_vc2"),
                               (credential(), {"format": "sd-jwt"}, "unsupported_format")):
        response = client.post(ISSUE, json={"credential": doc, "options": options},
                               headers=bearer(tokens["college"]))
        assert response.status_code == 400 and response.get_json()["code"] == code
