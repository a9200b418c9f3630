"""The VC-JWT form of a credential: content negotiation, the API, the learner's download.

Each token is checked with PyJWT against the issuer's published JWK Set (the
key found by the token's ``kid``), not only with our own verifier: that is
what any VC-JWT verifier elsewhere does.
"""

from __future__ import annotations

import jwt as pyjwt
import pytest

from badges.issuing.models import Credential
from badges.kernel.extensions import db
from badges.organisations.api_tokens import create_api_token
from badges.verification.services import verify_upload

VC_JWT = "application/vc+jwt"


def _document(app, uuid: str) -> tuple[dict, str]:
    with app.app_context():
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
        return cred.document, cred.organisation.slug


def _check(client, token: str, document: dict, slug: str) -> dict:
    """Verify ``token`` with PyJWT and the published JWK Set; the payload is the credential."""
    header = pyjwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    jwks = client.get(f"/issuers/{slug}/jwks.json").get_json()
    assert header["kid"] in {k["kid"] for k in jwks["keys"]}
    assert header["kid"].startswith(document["issuer"]["id"] + "#")
    key = pyjwt.PyJWKSet.from_dict(jwks)[header["kid"]]
    payload = pyjwt.decode(token, key=key, algorithms=["EdDSA"])
    assert payload["iss"] == document["issuer"]["id"]
    assert payload["jti"] == document["id"]
    assert payload["credentialSubject"] == document["credentialSubject"]
    assert payload["credentialStatus"] == document["credentialStatus"]
    assert "proof" not in payload
    with pytest.raises(pyjwt.InvalidSignatureError):
        head, body, sig = token.split(".")
        pyjwt.decode(f"{head}.{body}.{sig[:-4]}AAAA", key=key, algorithms=["EdDSA"])
    return payload


def test_credential_url_gives_the_vc_jwt_to_who_asks(app, client, vanessa):
    document, slug = _document(app, vanessa[0])
    response = client.get(f"/credentials/{vanessa[0]}", headers={"Accept": VC_JWT})
    assert response.status_code == 200
    assert response.mimetype == VC_JWT
    token = response.get_data(as_text=True)
    _check(client, token, document, slug)
    with app.app_context():
        assert verify_upload(token.encode())["verdict"] == "valid"


def test_api_gives_the_vc_jwt_by_format_or_accept(app, client, vanessa):
    document, slug = _document(app, vanessa[0])
    with app.app_context():
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=vanessa[0]))
        bearer = {"Authorization": f"Bearer {create_api_token(cred.organisation, 'jwt')}"}
    by_format = client.get(f"/api/v1/credentials/{vanessa[0]}?format=jwt", headers=bearer)
    by_accept = client.get(f"/api/v1/credentials/{vanessa[0]}",
                           headers={**bearer, "Accept": VC_JWT})
    for response in (by_format, by_accept):
        assert response.status_code == 200 and response.mimetype == VC_JWT
        _check(client, response.get_data(as_text=True), document, slug)
    plain = client.get(f"/api/v1/credentials/{vanessa[0]}", headers=bearer)
    assert plain.mimetype == "application/json"  # the default stays JSON
    unknown = client.get(f"/api/v1/credentials/{vanessa[0]}?format=xml", headers=bearer)
    assert unknown.status_code == 422 and "format" in unknown.get_data(as_text=True)


def test_learner_downloads_the_vc_jwt_from_the_credential_page(app, client, auth, vanessa):
    document, slug = _document(app, vanessa[0])
    auth.login("vanessa@example.nl")
    page = client.get(f"/passport/c/{vanessa[0]}").get_data(as_text=True)
    link = f"/passport/credentials/{vanessa[0]}/download/jwt"
    assert link in page
    response = client.get(link)
    assert response.status_code == 200 and response.mimetype == VC_JWT
    assert response.headers["Content-Disposition"].endswith('.jwt"')
    _check(client, response.get_data(as_text=True), document, slug)


def test_no_usable_key_is_a_clear_conflict(app, client, vanessa):
    from badges.issuing import keystore

    with app.app_context():
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=vanessa[0]))
        bearer = {"Authorization": f"Bearer {create_api_token(cred.organisation, 'jwt')}"}
        keystore.mark_compromised(keystore.current_key_row(cred.organisation))
    response = client.get(f"/api/v1/credentials/{vanessa[0]}?format=jwt", headers=bearer)
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "no_signing_key"
    assert "sleutel" in response.get_json()["detail"]
    page = client.get(f"/credentials/{vanessa[0]}", headers={"Accept": VC_JWT})
    assert page.status_code == 409
