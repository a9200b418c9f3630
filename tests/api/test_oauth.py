"""OAuth 2.0 client credentials for the API and VC-API (#18 item 1): an admin registers a
client, an independent OAuth client library (Authlib's requests client) gets a short-lived
token from a live server, and the VC-API accepts it within the client's scopes."""

from __future__ import annotations

import re

import pytest
import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations.models import ApiToken, OAuthClient, Organisation
from badges.organisations.oauth_clients import register_client, revoke_client
from tests.browser.conftest import serve
from tests.conftest import post_form

COLLEGE = "maasvallei-zorg-welzijn"
ADMIN = "beheer@rocdemaasvallei.example"
ISSUE = f"/vc-api/issuers/{COLLEGE}/credentials/issue"
VC = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
      "credentialSubject": {"id": "did:example:learner"}}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("oauth")) as server:
        yield server


def _client(live, scopes, name="Eduarte"):
    with live.app.app_context():
        org = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
        return register_client(org, name, scopes, actor_id=None)


def test_client_credentials_give_a_token_the_vc_api_accepts(live):
    client_id, secret = _client(live, ["issue"])
    with OAuth2Session(client_id, secret) as session:
        token = session.fetch_token(live("/oauth/token"), grant_type="client_credentials")
        assert token["token_type"].lower() == "bearer" and token["scope"] == "issue"
        assert token["expires_in"] == 3600 and "refresh_token" not in token
        issued = session.post(live(ISSUE), json={"credential": VC, "options": {}}, timeout=30)
        assert issued.status_code == 201, issued.text
        assert issued.json()["verifiableCredential"]["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        # the client has no read scope: its token is refused there, naming the scope
        read = session.get(live("/api/v1/credentials/unknown"), timeout=30)
        assert read.status_code == 403 and read.json()["scope"] == "read"
    with live.app.app_context():
        row = db.session.scalar(db.select(ApiToken).where(
            ApiToken.prefix == token["access_token"][:10]))
        assert row.oauth_client_id is not None and row.scopes == "issue"
        assert 3500 < (row.expires_at - utcnow()).total_seconds() <= 3600
        assert row.token_hash != token["access_token"]
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="vcapi.issue")
                                  .order_by(AuditEvent.id.desc()))
        assert event.actor_label == f"API: Eduarte ({row.prefix}…)"


def test_wrong_secret_unknown_scope_and_wrong_grant_are_refused(live):
    client_id, secret = _client(live, ["issue", "read"])
    with OAuth2Session(client_id, "not-the-secret") as session, \
            pytest.raises(OAuthError) as wrong:
        session.fetch_token(live("/oauth/token"), grant_type="client_credentials")
    assert wrong.value.error == "invalid_client"
    with OAuth2Session(client_id, secret, scope="issue revoke") as session, \
            pytest.raises(OAuthError) as too_much:
        session.fetch_token(live("/oauth/token"), grant_type="client_credentials")
    assert too_much.value.error == "invalid_scope"
    with OAuth2Session(client_id, secret, scope="read") as session:
        assert session.fetch_token(live("/oauth/token"),
                                   grant_type="client_credentials")["scope"] == "read"
    password = requests.post(live("/oauth/token"), auth=(client_id, secret), timeout=30,
                             data={"grant_type": "password", "username": "x", "password": "y"})
    assert password.status_code == 400 and password.json()["error"] == "unsupported_grant_type"
    assert password.headers["Cache-Control"] == "no-store"


def test_revoking_the_client_stops_its_tokens(live):
    client_id, secret = _client(live, ["issue"])
    with OAuth2Session(client_id, secret) as session:
        session.fetch_token(live("/oauth/token"), grant_type="client_credentials")
        with live.app.app_context():
            revoke_client(db.session.scalar(db.select(OAuthClient).filter_by(
                client_id=client_id)), actor_id=None)
        refused = session.post(live(ISSUE), json={"credential": VC}, timeout=30)
        assert refused.status_code == 401
        with pytest.raises(OAuthError) as gone:
            session.fetch_token(live("/oauth/token"), grant_type="client_credentials")
        assert gone.value.error == "invalid_client"


def test_an_admin_registers_a_client_and_sees_the_secret_once(app, client, auth, demo):
    auth.login(ADMIN)
    page = f"/issuer/{COLLEGE}/tokens"
    html = post_form(client, f"/issuer/{COLLEGE}/oauth-clients",
                     {"client_name": "Eduarte OAuth", "client_scopes": ["issue", "revoke"]},
                     page=page).get_data(as_text=True)
    client_id = re.search(r'id="new-client-id" value="(spc_[\w-]+)"', html).group(1)
    secret = re.search(r'id="new-client-secret" value="([\w-]+)"', html).group(1)
    with app.app_context():
        row = db.session.scalar(db.select(OAuthClient).filter_by(client_id=client_id))
        assert row.scopes == "issue revoke" and secret not in row.secret_hash
    again = client.get(page).get_data(as_text=True)
    assert client_id in again and secret not in again
    refused = post_form(client, f"/issuer/{COLLEGE}/oauth-clients", {"client_name": ""}, page=page)
    assert refused.status_code == 422


def test_the_api_document_names_oauth_scopes_and_the_vc_jwt_option(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    flow = doc["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/oauth/token" and set(flow["scopes"]) == {
        "issue", "revoke", "bulk", "read"}
    issue = doc["paths"]["/vc-api/issuers/{slug}/credentials/issue"]["post"]
    assert {"oauth2": ["issue"]} in issue["security"]
    options = issue["requestBody"]["content"]["application/json"]["schema"]["properties"]["options"]
    assert "vc+jwt" in options["properties"]["format"]["enum"]
