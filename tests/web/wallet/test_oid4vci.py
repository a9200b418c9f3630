"""OpenID4VCI 1.0 hand-off at the HTTP level: metadata, the offer page, token, nonce,
credential, and every refusal with the specification's error code (never a 5xx).

The wallet here is PyJWT with a fresh Ed25519 key, so requests can be made wrong on
purpose; tests/wallet/test_wallet_client.py drives an independent wallet library.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from badges.credentials.jwt import decode_vc_jwt
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.wallets.models import WalletDelivery, WalletOffer
from tests.conftest import csrf_token
from tests.wallet_support import PRE_AUTH, Offer, WalletKey, offer_from_page

BASE = "http://localhost"
LDP = "OpenBadgeCredential_ldp_vc"
JWT = "OpenBadgeCredential_jwt_vc_json"


@pytest.fixture
def cred_uuid(app, demo, auth) -> str:
    from tests.web.share.data import vanessa_credentials

    with app.app_context():
        uuid = vanessa_credentials()[0].uuid
    auth.login("vanessa@example.nl")
    return uuid


def make_offer(client, uuid: str) -> Offer:
    page = f"/passport/c/{uuid}/wallet"
    answer = client.post(page, data={"csrf_token": csrf_token(client, page)})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    return offer_from_page(answer.get_data(as_text=True))


def token(client, offer: Offer, tx_code: str | None = None) -> dict:
    answer = client.post("/oid4vci/token", data={
        "grant_type": PRE_AUTH, "pre-authorized_code": offer.code,
        "tx_code": offer.tx_code if tx_code is None else tx_code})
    assert answer.status_code in (200, 400), answer.status_code
    return {"status": answer.status_code, **answer.get_json()}


def nonce(client) -> str:
    answer = client.post("/oid4vci/nonce")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    return answer.get_json()["c_nonce"]


def credential(client, access_token: str, body: dict) -> tuple[int, dict]:
    answer = client.post("/oid4vci/credential", json=body,
                         headers={"Authorization": f"Bearer {access_token}"})
    assert answer.status_code < 500
    return answer.status_code, answer.get_json()


def request_body(key: WalletKey, client, configuration: str = LDP, **proof_options) -> dict:
    proof = key.proof(aud=proof_options.pop("aud", BASE),
                      nonce=proof_options.pop("nonce", None) or nonce(client), **proof_options)
    return {"credential_configuration_id": configuration, "proofs": {"jwt": [proof]}}


# --- metadata ------------------------------------------------------------------------------


def test_issuer_metadata_names_both_formats_and_the_endpoints(client):
    meta = client.get("/.well-known/openid-credential-issuer").get_json()
    assert meta["credential_issuer"] == BASE
    assert meta["credential_endpoint"] == f"{BASE}/oid4vci/credential"
    assert meta["nonce_endpoint"] == f"{BASE}/oid4vci/nonce"
    configs = meta["credential_configurations_supported"]
    assert {c["format"] for c in configs.values()} == {"ldp_vc", "jwt_vc_json"}
    for config in configs.values():
        assert "OpenBadgeCredential" in config["credential_definition"]["type"]
        assert "jwt" in config["proof_types_supported"]
        assert {"did:key", "jwk"} <= set(config["cryptographic_binding_methods_supported"])
    server = client.get("/.well-known/oauth-authorization-server").get_json()
    assert server["issuer"] == BASE and server["token_endpoint"] == f"{BASE}/oid4vci/token"
    assert server["pre-authorized_grant_anonymous_access_supported"] is True


# --- the learner's page -----------------------------------------------------------------------


def test_offer_page_shows_qr_link_and_code_once_and_lists_deliveries(client, cred_uuid):
    page = client.get(f"/passport/c/{cred_uuid}/wallet").get_data(as_text=True)
    assert "QR-code maken" in page and "Nog niet naar een wallet gestuurd" in page
    assert f'/passport/c/{cred_uuid}/wallet' in client.get(f"/passport/c/{cred_uuid}").get_data(as_text=True)
    offer = make_offer(client, cred_uuid)
    payload = offer.payload
    assert payload["credential_issuer"] == BASE
    assert set(payload["credential_configuration_ids"]) == {LDP, JWT}
    assert payload["grants"][PRE_AUTH]["tx_code"] == {
        "input_mode": "numeric", "length": 6, "description": payload["grants"][PRE_AUTH]["tx_code"]["description"]}
    assert len(offer.tx_code) == 6
    # the QR code holds the offer by reference: a short URL that answers the same offer
    reference = parse_qs(urlparse(offer.qr_uri).query)["credential_offer_uri"][0]
    assert reference.startswith(f"{BASE}/oid4vci/offers/") and len(offer.qr_uri) < 150
    by_reference = client.get(urlparse(reference).path)
    assert by_reference.status_code == 200 and by_reference.get_json() == payload
    assert by_reference.headers["Cache-Control"] == "no-store"
    assert token(client, offer)["status"] == 200
    assert client.get(urlparse(reference).path).status_code == 404  # spent: nothing to show
    assert client.get("/oid4vci/offers/verzonnen").status_code == 404
    # the code is shown once: reloading the page shows no code
    assert "tx-code" not in client.get(f"/passport/c/{cred_uuid}/wallet").get_data(as_text=True)


def test_someone_elses_credential_has_no_wallet_page(client, cred_uuid, auth):
    auth.logout()
    auth.login("ben@example.nl")
    assert client.get(f"/passport/c/{cred_uuid}/wallet").status_code == 404
    page = f"/passport/c/{cred_uuid}/wallet"
    assert client.post(page, data={"csrf_token": csrf_token(client, "/passport")}).status_code == 404


# --- the whole exchange, 1.0 style --------------------------------------------------------------


@pytest.mark.parametrize("configuration,use_jwk", [(LDP, False), (JWT, True)])
def test_wallet_receives_a_copy_bound_to_its_key(app, client, cred_uuid, configuration, use_jwk):
    offer = make_offer(client, cred_uuid)
    granted = token(client, offer)
    assert granted["status"] == 200 and granted["token_type"] == "Bearer"
    key = WalletKey()
    status, body = credential(client, granted["access_token"],
                              request_body(key, client, configuration, use_jwk=use_jwk))
    assert status == 200, body
    issued = body["credentials"][0]["credential"]
    document = issued if configuration == LDP else decode_vc_jwt(issued)[2]
    subject_id = document["credentialSubject"]["id"]
    assert subject_id == key.did if not use_jwk else subject_id.startswith("did:jwk:")
    from badges.issuing.models import Credential

    with app.app_context():
        original = db.session.scalar(db.select(Credential).filter_by(uuid=cred_uuid))
        assert document["credentialStatus"] == original.document["credentialStatus"]
        assert document["id"] == original.document["id"]
        assert "id" not in original.document["credentialSubject"]  # the passport's copy is unchanged
        delivery = db.session.scalar(db.select(WalletDelivery).filter_by(credential_id=original.id))
        assert delivery.holder_id == subject_id
        assert delivery.format == ("ldp_vc" if configuration == LDP else "jwt_vc_json")
    verdict = client.post("/api/v1/verify", json=document if configuration == LDP else None,
                          data=None if configuration == LDP else issued,
                          content_type="application/json" if configuration == LDP else "text/plain")
    assert verdict.get_json()["verified"] is True, verdict.get_json()
    page = client.get(f"/passport/c/{cred_uuid}/wallet").get_data(as_text=True)
    assert "Nog niet naar een wallet gestuurd" not in page and subject_id[:40] in page
    assert "Naar een wallet gestuurd: 1 keer" in client.get(f"/passport/c/{cred_uuid}").get_data(as_text=True)
    # works once: the token and the code are spent
    status, again = credential(client, granted["access_token"], request_body(key, client, configuration))
    assert status == 401 and again["error"] == "invalid_token"
    assert token(client, offer)["error"] == "invalid_grant"


# --- refusals -------------------------------------------------------------------------------------


def test_token_refusals(client, cred_uuid):
    offer = make_offer(client, cred_uuid)
    assert token(client, Offer(offer.uri.replace(offer.code[:8], "x" * 8), offer.tx_code))["error"] == "invalid_grant"
    answer = client.post("/oid4vci/token", data={"grant_type": "authorization_code", "code": "x"})
    assert answer.status_code == 400 and answer.get_json()["error"] == "unsupported_grant_type"
    answer = client.post("/oid4vci/token", data={"grant_type": PRE_AUTH})
    assert answer.get_json()["error"] == "invalid_request"
    answer = client.post("/oid4vci/token", json={"grant_type": PRE_AUTH})
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_request"
    assert token(client, offer, tx_code="")["error"] == "invalid_request"


def test_wrong_tx_codes_are_limited(client, cred_uuid):
    offer = make_offer(client, cred_uuid)
    wrong = "000000" if offer.tx_code != "000000" else "111111"
    for _ in range(5):
        refused = token(client, offer, tx_code=wrong)
        assert refused["status"] == 400 and refused["error"] == "invalid_grant"
    # the right code no longer helps: the offer is spent
    assert token(client, offer)["error"] == "invalid_grant"


def test_expired_offer_is_refused(app, client, cred_uuid):
    offer = make_offer(client, cred_uuid)
    with app.app_context():
        row = db.session.scalar(db.select(WalletOffer).order_by(WalletOffer.id.desc()))
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert token(client, offer)["error"] == "invalid_grant"


def test_a_new_offer_replaces_the_open_one(client, cred_uuid):
    first = make_offer(client, cred_uuid)
    second = make_offer(client, cred_uuid)
    assert token(client, first)["error"] == "invalid_grant"
    assert token(client, second)["status"] == 200


def test_proof_refusals(client, cred_uuid):
    offer = make_offer(client, cred_uuid)
    access = token(client, offer)["access_token"]
    key = WalletKey()

    def refused(body: dict) -> str:
        status, answer = credential(client, access, body)
        assert status == 400, answer
        return answer["error"]

    assert refused(request_body(key, client, aud="https://elders.example")) == "invalid_proof"
    assert refused(request_body(key, client, signer=WalletKey().private)) == "invalid_proof"
    assert refused(request_body(key, client, typ="JWT")) == "invalid_proof"
    assert refused(request_body(key, client, iat=0)) == "invalid_proof"
    assert refused(request_body(key, client, nonce="verzonnen")) == "invalid_nonce"
    assert refused({"credential_configuration_id": LDP,
                    "proofs": {"jwt": [key.proof(aud=BASE, nonce=None)]}}) == "invalid_nonce"
    assert refused({"credential_configuration_id": LDP, "proofs": {"jwt": ["niet.een.jwt"]}}) == "invalid_proof"
    assert refused({"credential_configuration_id": LDP}) == "invalid_proof"
    assert refused({"credential_configuration_id": "Onbekend",
                    "proofs": {"jwt": [key.proof(aud=BASE, nonce=nonce(client))]}}) == "unknown_credential_configuration"
    assert refused({"credential_identifier": "x", "proofs": {"jwt": []}}) == "unknown_credential_identifier"
    status, answer = credential(client, access, request_body(key, client))
    assert status == 200, answer  # after all that, the right request still works


def test_invalid_nonce_answer_carries_a_fresh_nonce(client, cred_uuid):
    offer = make_offer(client, cred_uuid)
    access = token(client, offer)["access_token"]
    key = WalletKey()
    status, answer = credential(client, access, request_body(key, client, nonce="verzonnen"))
    assert status == 400 and answer["error"] == "invalid_nonce"
    status, answer = credential(client, access, {"credential_configuration_id": LDP, "proofs": {
        "jwt": [key.proof(aud=BASE, nonce=answer["c_nonce"])]}})
    assert status == 200


def test_used_nonce_is_refused(client, cred_uuid):
    key = WalletKey()
    used = nonce(client)
    for _ in range(2):
        offer = make_offer(client, cred_uuid)
        access = token(client, offer)["access_token"]
        status, answer = credential(client, access, {"credential_configuration_id": LDP, "proofs": {
            "jwt": [key.proof(aud=BASE, nonce=used)]}})
    assert status == 400 and answer["error"] == "invalid_nonce"


def test_credential_endpoint_without_a_token(client):
    answer = client.post("/oid4vci/credential", json={})
    assert answer.status_code == 401 and answer.get_json()["error"] == "invalid_token"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    answer = client.post("/oid4vci/credential", data="x", headers={"Authorization": "Bearer nope"})
    assert answer.status_code in (400, 401) and "error" in answer.get_json()


def test_revoked_credential_is_not_handed_out(app, client, cred_uuid):
    from badges.issuing import services as issuing
    from badges.issuing.models import Credential, CredentialState

    offer = make_offer(client, cred_uuid)
    access = token(client, offer)["access_token"]
    with app.test_request_context():
        original = db.session.scalar(db.select(Credential).filter_by(uuid=cred_uuid))
        issuing.set_state(original, CredentialState.REVOKED, "fout", actor_id=None)
        issuing.commit()
    status, answer = credential(client, access, request_body(WalletKey(), client))
    assert status == 400 and answer["error"] == "credential_request_denied"
    page = client.get(f"/passport/c/{cred_uuid}/wallet").get_data(as_text=True)
    assert "QR-code maken" not in page and "ingetrokken" in page


@pytest.mark.parametrize("named_by", ["jwk", "did:jwk"])
def test_an_es256_wallet_key_is_accepted(client, cred_uuid, named_by):
    import json
    import time

    import jwt as pyjwt
    from cryptography.hazmat.primitives.asymmetric import ec

    from badges.credentials.holder import did_jwk

    private = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(pyjwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    did = did_jwk(jwk)
    header = {"typ": "openid4vci-proof+jwt", **({"jwk": jwk} if named_by == "jwk" else {"kid": f"{did}#0"})}
    proof = pyjwt.encode({"aud": BASE, "iat": int(time.time()), "nonce": nonce(client)}, private,
                         algorithm="ES256", headers=header)
    access = token(client, make_offer(client, cred_uuid))["access_token"]
    status, body = credential(client, access, {"credential_configuration_id": JWT, "proofs": {"jwt": [proof]}})
    assert status == 200, body
    assert decode_vc_jwt(body["credentials"][0]["credential"])[2]["credentialSubject"]["id"] == did


def test_a_private_key_in_the_proof_is_refused(client, cred_uuid):
    key = WalletKey()
    access = token(client, make_offer(client, cred_uuid))["access_token"]
    proof = key.proof(aud=BASE, nonce=nonce(client), use_jwk=True)
    # a proof whose header carries the private key ("d"): a wallet leaking its key is not one to bind to
    import jwt as pyjwt

    leaked = {**key.jwk, "d": "AAAA"}
    claims = pyjwt.decode(proof, options={"verify_signature": False})
    bad = pyjwt.encode(claims, key.private, algorithm="EdDSA",
                       headers={"typ": "openid4vci-proof+jwt", "jwk": leaked})
    status, body = credential(client, access, {"credential_configuration_id": LDP, "proofs": {"jwt": [bad]}})
    assert status == 400 and body["error"] == "invalid_proof"


def test_deleting_the_account_leaves_no_wallet_rows(app, client, cred_uuid):
    """Offers and deliveries name the learner; nonces name nobody."""
    access = token(client, make_offer(client, cred_uuid))["access_token"]
    status, _ = credential(client, access, request_body(WalletKey(), client))
    assert status == 200
    answer = client.post("/passport/account/delete", data={
        "understood": "y", "password": "skillspas-demo",
        "csrf_token": csrf_token(client, "/passport/account")})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WalletOffer)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(WalletDelivery)) == 0


MALFORMED_BODIES = [
    [], "x", 5, None, {}, {"credential_configuration_id": ["x"]}, {"credential_configuration_id": {"a": 1}},
    {"credential_configuration_id": LDP, "proofs": []}, {"credential_configuration_id": LDP, "proofs": {"jwt": "x"}},
    {"credential_configuration_id": LDP, "proofs": {"jwt": [5]}},
    {"credential_configuration_id": LDP, "proofs": {"jwt": ["a", "b"]}},
    {"credential_configuration_id": LDP, "proofs": {"jwt": [None]}, "proof": {}},
    {"credential_configuration_id": LDP, "proofs": {"jwt": ["a.b.c"], "ldp_vp": []}},
    {"format": ["ldp_vc"], "proof": {"proof_type": "jwt", "jwt": {"a": 1}}},
    {"format": "ldp_vc", "credential_definition": "x", "proof": {"proof_type": "jwt", "jwt": "a.b.c"}},
    {"format": "ldp_vc", "credential_definition": {"type": "x"}, "proof": {"proof_type": ["jwt"]}},
    {"format": "mso_mdoc", "proof": {"proof_type": "jwt", "jwt": "eyJ9.e30.AA"}},
    {"credential_configuration_id": LDP, "proofs": {"jwt": ["eyJhbGciOiJFZERTQSJ9.W10.AA"]}},
    {"credential_identifier": None},
]


def test_malformed_requests_get_error_codes_never_5xx(client, cred_uuid):
    access = token(client, make_offer(client, cred_uuid))["access_token"]
    for body in MALFORMED_BODIES:
        answer = client.post("/oid4vci/credential", json=body, headers={"Authorization": f"Bearer {access}"})
        assert answer.status_code == 400, (body, answer.status_code)
        assert answer.get_json()["error"] in {
            "invalid_credential_request", "unknown_credential_configuration", "invalid_proof",
            "unknown_credential_identifier", "invalid_nonce"}, body
    for form in ({"grant_type": PRE_AUTH, "pre-authorized_code": "x" * 5000, "tx_code": "1" * 5000},
                 {"grant_type": "x" * 5000}, {"pre-authorized_code": "x"}):
        answer = client.post("/oid4vci/token", data=form)
        assert answer.status_code == 400 and "error" in answer.get_json()
    for headers in ({"Authorization": "Bearer"}, {"Authorization": "Basic eDp4"}, {"Authorization": "Bearer " + "x" * 5000}):
        answer = client.post("/oid4vci/credential", json={}, headers=headers)
        assert answer.status_code == 401 and answer.get_json()["error"] == "invalid_token"


def test_a_proof_whose_algorithm_does_not_fit_its_key_is_refused(client, cred_uuid):
    import time

    import jwt as pyjwt
    from cryptography.hazmat.primitives.asymmetric import ec

    key = WalletKey()
    access = token(client, make_offer(client, cred_uuid))["access_token"]
    proof = pyjwt.encode({"aud": BASE, "iat": int(time.time()), "nonce": nonce(client)},
                         ec.generate_private_key(ec.SECP256R1()), algorithm="ES256",
                         headers={"typ": "openid4vci-proof+jwt", "kid": f"{key.did}#0"})
    status, body = credential(client, access, {"credential_configuration_id": LDP, "proofs": {"jwt": [proof]}})
    assert status == 400 and body["error"] == "invalid_proof"
