"""The Open Badges 3.0 API (host role), driven by an independent OAuth 2.0 client.

A live server on loopback. An app registers itself (RFC 7591) with plain HTTP,
then requests-oauthlib (not the Authlib the server uses) runs the authorization
code grant with PKCE S256: Vanessa, signed in through the real login form,
answers the consent page; the app gets tokens, refreshes them and calls each
endpoint. A read-only token cannot upsert, and once Vanessa withdraws the app's
access in her passport its tokens answer 401.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from openapi_spec_validator import validate
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

from badges.credentials import data_integrity, keys
from badges.demo.credentials import library_credential, library_key
from badges.kernel.db import db
from badges.kernel.tokens import hash_secret
from tests.browser.conftest import LiveServer, serve

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
BASE = "/ims/ob/v3p0"
SCOPE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
READ, UPSERT = SCOPE + "credential.readonly", SCOPE + "credential.upsert"
PROFILE_READ, PROFILE_UPDATE = SCOPE + "profile.readonly", SCOPE + "profile.update"
ALL = [READ, UPSERT, PROFILE_READ, PROFILE_UPDATE]
REDIRECT = "http://127.0.0.1:9/callback"  # never followed: the app reads the code from Location


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # oauthlib refuses plain HTTP unless told; the loopback server has no TLS
    before = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    try:
        with serve(tmp_path_factory.mktemp("obapi")) as live:
            yield live
    finally:
        if before is None:
            os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = before


def _signed_in(server: LiveServer, email: str) -> requests.Session:
    session = requests.Session()
    token = CSRF.search(session.get(server("/login"), timeout=30).text).group(1)
    answer = session.post(server("/login"), data={"csrf_token": token, "email": email,
                                                  "password": "skillspas-demo"}, timeout=30)
    assert answer.ok and "/login" not in answer.url
    return session


@pytest.fixture(scope="module")
def vanessa(server: LiveServer) -> requests.Session:
    return _signed_in(server, "vanessa@example.nl")


@pytest.fixture(scope="module")
def discovery(server: LiveServer) -> dict:
    answer = requests.get(server(f"{BASE}/discovery"), timeout=30)
    assert answer.status_code == 200
    return answer.json()


def _register(server: LiveServer, discovery: dict, name: str = "Loopbaanportfolio", **extra) -> dict:
    url = discovery["components"]["securitySchemes"]["OAuth2ACG"]["x-imssf-registrationUrl"]
    metadata = {"client_name": name, "client_uri": "https://portfolio.example", "redirect_uris": [REDIRECT],
                "logo_uri": "https://portfolio.example/logo.png", "tos_uri": "https://portfolio.example/tos",
                "policy_uri": "https://portfolio.example/privacy", "software_id": str(uuid.uuid4()),
                "software_version": "1.0", "scope": " ".join(ALL),
                "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_basic", **extra}
    answer = requests.post(url, json=metadata, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def app_client(server: LiveServer, discovery: dict) -> dict:
    return _register(server, discovery)


def _flows(discovery: dict) -> dict:
    return discovery["components"]["securitySchemes"]["OAuth2ACG"]["flows"]["authorizationCode"]


def _consent_page(server, learner, client, discovery, scopes) -> tuple[OAuth2Session, str, str]:
    oauth = OAuth2Session(client["client_id"], redirect_uri=REDIRECT, scope=scopes, pkce="S256")
    url, _state = oauth.authorization_url(_flows(discovery)["authorizationUrl"])
    page = learner.get(url, timeout=30)
    assert page.status_code == 200, page.text
    return oauth, url, page.text


def _answer(learner, url: str, page: str, decision: str) -> str:
    token = CSRF.search(page).group(1)
    answer = learner.post(url, data={"csrf_token": token, "decision": decision}, allow_redirects=False,
                          timeout=30)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def connect(server, learner, client, discovery, scopes=ALL) -> OAuth2Session:
    """The whole grant: consent page, allow, code for tokens (PKCE verifier sent by the library)."""
    oauth, url, page = _consent_page(server, learner, client, discovery, scopes)
    location = _answer(learner, url, page, "allow")
    assert location.startswith(REDIRECT + "?")
    oauth.fetch_token(_flows(discovery)["tokenUrl"], authorization_response=location,
                      client_secret=client["client_secret"])
    return oauth


def _minor(answer: requests.Response) -> str:
    body = answer.json()
    assert body["imsx_codeMajor"] == "failure" and body["imsx_severity"] == "error"
    return body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


def _external_credential(email: str) -> dict:
    """A new OB 3.0 credential from the (did:key) library outside Skillspas, addressed to ``email``."""
    doc = library_credential(email)
    doc.pop("proof")
    doc["id"] = f"urn:uuid:{uuid.uuid4()}"
    did = keys.did_key_from_public(library_key().public_key())
    return data_integrity.sign(doc, library_key(), f"{did}#{did[len('did:key:'):]}")


# --- discovery and registration ---------------------------------------------------------------


def test_discovery_is_an_openapi_document_with_the_oauth2_scheme(server, discovery):
    validate(discovery)
    scheme = discovery["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["type"] == "oauth2"
    assert scheme["x-imssf-registrationUrl"] == server(f"{BASE}/register")
    assert scheme["x-imssf-privacyPolicyUrl"] == server("/privacy") and scheme["x-imssf-name"] == "Skillspas"
    flows = scheme["flows"]["authorizationCode"]
    assert flows["tokenUrl"] == flows["refreshUrl"] == server(f"{BASE}/token")
    assert sorted(flows["scopes"]) == sorted(ALL)
    operations = {op["operationId"] for path in discovery["paths"].values() for op in path.values()}
    assert {"getCredentials", "upsertCredential", "getProfile", "putProfile",
            "getServiceDescription"} <= operations


def test_registration_stores_only_a_hash_of_the_secret(server, app_client):
    from badges.obapi.models import ObClient

    assert app_client["client_secret"] and app_client["client_secret_expires_at"] == 0
    with server.app.app_context():
        row = db.session.scalar(db.select(ObClient).filter_by(client_id=app_client["client_id"]))
        assert row.secret_hash == hash_secret(app_client["client_secret"])
        assert app_client["client_secret"] not in json.dumps(row.client_metadata)


@pytest.mark.parametrize("change", [
    {"redirect_uris": ["http://portfolio.example/callback"]},  # plain HTTP off the app's own machine
    {"redirect_uris": []},
    {"redirect_uris": ["https://user@portfolio.example/cb"]},
    {"redirect_uris": ["https://portfolio.example;script-src */cb"]},
    {"scope": "openid email"},
    {"client_name": ""},
    {"client_uri": "javascript://portfolio.example/%0Aalert(1)"},  # shown as a link on the consent page
])
def test_registration_refuses_bad_metadata(server, discovery, change):
    url = discovery["components"]["securitySchemes"]["OAuth2ACG"]["x-imssf-registrationUrl"]
    metadata = {"client_name": "X", "redirect_uris": [REDIRECT], "scope": READ, **change}
    answer = requests.post(url, json=metadata, timeout=30)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_client_metadata"


# --- the grant ----------------------------------------------------------------------------------


def test_consent_page_names_the_app_and_what_it_may_do(server, vanessa, app_client, discovery):
    _oauth, _url, page = _consent_page(server, vanessa, app_client, discovery, [READ, PROFILE_READ])
    assert "Toegang geven aan Loopbaanportfolio?" in page
    assert "Je bewijzen bekijken" in page and "Je naam en e-mailadres bekijken" in page
    assert "Bewijzen aan je pas toevoegen" not in page  # not asked for


def test_consent_page_in_english(server, app_client, discovery):
    learner = _signed_in(server, "vanessa@example.nl")
    learner.cookies.set("lang", "en", domain="127.0.0.1")
    _oauth, _url, page = _consent_page(server, learner, app_client, discovery, [READ])
    assert "Give Loopbaanportfolio access?" in page and "See your credentials" in page


def test_consent_needs_a_signed_in_learner(server, app_client, discovery):
    oauth = OAuth2Session(app_client["client_id"], redirect_uri=REDIRECT, scope=[READ], pkce="S256")
    url, _state = oauth.authorization_url(_flows(discovery)["authorizationUrl"])
    answer = requests.get(url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302 and urlparse(answer.headers["Location"]).path == "/login"


def test_declining_sends_access_denied_back(server, vanessa, app_client, discovery):
    _oauth, url, page = _consent_page(server, vanessa, app_client, discovery, [READ])
    query = parse_qs(urlparse(_answer(vanessa, url, page, "deny")).query)
    assert query["error"] == ["access_denied"] and "code" not in query


def test_pkce_is_required(server, vanessa, app_client, discovery):
    oauth = OAuth2Session(app_client["client_id"], redirect_uri=REDIRECT, scope=[READ])  # no PKCE
    url, _state = oauth.authorization_url(_flows(discovery)["authorizationUrl"])
    answer = vanessa.get(url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302
    assert parse_qs(urlparse(answer.headers["Location"]).query)["error"] == ["invalid_request"]


def test_unknown_redirect_uri_is_not_followed(server, vanessa, app_client, discovery):
    oauth = OAuth2Session(app_client["client_id"], redirect_uri="https://evil.example/cb", scope=[READ],
                          pkce="S256")
    url, _state = oauth.authorization_url(_flows(discovery)["authorizationUrl"])
    answer = vanessa.get(url, allow_redirects=False, timeout=30)
    assert answer.status_code == 400 and "evil.example" not in answer.headers.get("Location", "")


def test_a_code_works_once_and_only_with_its_verifier(server, vanessa, app_client, discovery):
    token_url = _flows(discovery)["tokenUrl"]
    oauth, url, page = _consent_page(server, vanessa, app_client, discovery, [READ])
    location = _answer(vanessa, url, page, "allow")
    code = parse_qs(urlparse(location).query)["code"][0]
    auth = HTTPBasicAuth(app_client["client_id"], app_client["client_secret"])
    wrong = requests.post(token_url, data={"grant_type": "authorization_code", "code": code,
                                           "redirect_uri": REDIRECT, "code_verifier": "x" * 50},
                          auth=auth, timeout=30)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    oauth.fetch_token(token_url, authorization_response=location, client_secret=app_client["client_secret"])
    again = requests.post(token_url, data={"grant_type": "authorization_code", "code": code,
                                           "redirect_uri": REDIRECT, "code_verifier": oauth._code_verifier},
                          auth=auth, timeout=30)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_tokens_are_stored_as_hashes(server, vanessa, app_client, discovery):
    from badges.obapi.models import ObToken

    oauth = connect(server, vanessa, app_client, discovery, [READ])
    with server.app.app_context():
        row = db.session.scalar(db.select(ObToken).filter_by(
            access_hash=hash_secret(oauth.token["access_token"])))
        assert row is not None and row.refresh_hash == hash_secret(oauth.token["refresh_token"])


# --- the endpoints ------------------------------------------------------------------------------


def test_get_credentials_paged(server, vanessa, app_client, discovery):
    oauth = connect(server, vanessa, app_client, discovery, [READ])
    everything = oauth.get(server(f"{BASE}/credentials"), timeout=30)
    assert everything.status_code == 200, everything.text
    total = int(everything.headers["X-Total-Count"])
    credentials = everything.json()["credential"]
    assert total == len(credentials) >= 3  # two from her college, one imported from the library
    assert all("OpenBadgeCredential" in c["type"] or "AchievementCredential" in c["type"]
               for c in credentials)
    assert all("proof" in c for c in credentials)

    first = oauth.get(server(f"{BASE}/credentials?limit=1"), timeout=30)
    assert len(first.json()["credential"]) == 1 and first.headers["X-Total-Count"] == str(total)
    links = dict((rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', first.headers["Link"]))
    assert set(links) == {"first", "next", "last"}
    second = oauth.get(links["next"], timeout=30)
    assert second.json()["credential"][0]["id"] == credentials[1]["id"]
    last = oauth.get(links["last"], timeout=30)
    assert last.json()["credential"][0]["id"] == credentials[-1]["id"]
    assert 'rel="prev"' in last.headers["Link"] and 'rel="next"' not in last.headers["Link"]

    future = oauth.get(server(f"{BASE}/credentials"), params={"since": "2999-01-01T00:00:00Z"}, timeout=30)
    assert future.status_code == 200 and future.headers["X-Total-Count"] == "0"
    assert future.json().get("credential", []) == []
    bad = oauth.get(server(f"{BASE}/credentials?limit=0"), timeout=30)
    assert bad.status_code == 400 and _minor(bad) == "invalid_query_parameter"
    bad = oauth.get(server(f"{BASE}/credentials?since=gisteren"), timeout=30)
    assert bad.status_code == 400 and _minor(bad) == "invalid_query_parameter"


def test_upsert_verifies_like_an_import(server, vanessa, app_client, discovery):
    oauth = connect(server, vanessa, app_client, discovery, [READ, UPSERT])
    url = server(f"{BASE}/credentials")
    credential = _external_credential("vanessa@example.nl")
    added = oauth.post(url, json=credential, timeout=60)
    assert added.status_code == 201, added.text
    assert added.json()["id"] == credential["id"]
    listed = oauth.get(url, timeout=30).json()["credential"]
    assert credential["id"] in {c["id"] for c in listed}
    page = vanessa.get(server("/passport"), timeout=30).text
    assert "Klik &amp; Tik" in page
    apps = vanessa.get(server("/passport/apps"), timeout=30).text
    assert "Zette ‘Klik &amp; Tik: online zoeken’ in je pas" in apps

    again = oauth.post(url, json=credential, timeout=60)
    assert again.status_code == 200  # the same credential again: replaced, not doubled
    assert oauth.get(url, timeout=30).headers["X-Total-Count"] == str(len(listed))

    own = next(c for c in listed if c["id"].startswith(server("/credentials/")))
    home = oauth.post(url, json=own, timeout=60)  # issued here and already in the passport
    assert home.status_code == 200
    assert oauth.get(url, timeout=30).headers["X-Total-Count"] == str(len(listed))

    tampered = json.loads(json.dumps(credential))
    tampered["credentialSubject"]["achievement"]["name"] = "Diploma arts"
    refused = oauth.post(url, json=tampered, timeout=60)
    assert refused.status_code == 400 and _minor(refused) == "invalid_data"
    assert "ongeldig" in refused.json()["imsx_description"]

    someone_else = oauth.post(url, json=_external_credential("iemand.anders@example.nl"), timeout=60)
    assert someone_else.status_code == 400 and _minor(someone_else) == "invalid_data"
    assert "ander e-mailadres" in someone_else.json()["imsx_description"]
    assert oauth.get(url, timeout=30).headers["X-Total-Count"] == str(len(listed))

    wrong_type = oauth.post(url, data="<xml/>", headers={"Content-Type": "application/xml"}, timeout=30)
    assert wrong_type.status_code == 415 and _minor(wrong_type) == "invalid_data"


def test_profile_read_and_update(server, app_client, discovery):
    learner = _signed_in(server, "ben@example.nl")
    oauth = connect(server, learner, app_client, discovery, [PROFILE_READ, PROFILE_UPDATE])
    url = server(f"{BASE}/profile")
    profile = oauth.get(url, timeout=30).json()
    assert profile["type"] == "Profile" and profile["email"] == "ben@example.nl"
    assert profile["id"].startswith("urn:uuid:")
    assert profile["@context"] == ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    changed = oauth.put(url, json={**profile, "name": "Ben de Vries-Jansen"}, timeout=30)
    assert changed.status_code == 200 and changed.json()["name"] == "Ben de Vries-Jansen"
    assert oauth.get(url, timeout=30).json()["name"] == "Ben de Vries-Jansen"
    email = oauth.put(url, json={**profile, "email": "ander@example.nl"}, timeout=30)
    assert email.status_code == 400 and _minor(email) == "invalid_data"
    empty = oauth.put(url, json={"type": "Profile", "name": " "}, timeout=30)
    assert empty.status_code == 400 and _minor(empty) == "invalid_data"


def test_scopes_are_enforced(server, vanessa, app_client, discovery):
    oauth = connect(server, vanessa, app_client, discovery, [READ])
    assert oauth.get(server(f"{BASE}/credentials"), timeout=30).status_code == 200
    upsert = oauth.post(server(f"{BASE}/credentials"), json=_external_credential("vanessa@example.nl"),
                        timeout=30)
    assert upsert.status_code == 403 and _minor(upsert) == "forbidden"
    for method in ("get", "put"):
        answer = getattr(oauth, method)(server(f"{BASE}/profile"), json={"type": "Profile", "name": "X"},
                                        timeout=30)
        assert answer.status_code == 403 and _minor(answer) == "forbidden"


def test_a_client_may_not_ask_for_more_than_it_registered(server, vanessa, discovery, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")  # the narrowed scope is the point here
    narrow = _register(server, discovery, "Alleen lezen", scope=READ)
    oauth = connect(server, vanessa, narrow, discovery, [READ, UPSERT])
    assert oauth.token["scope"] in ([READ], READ)
    upsert = oauth.post(server(f"{BASE}/credentials"), json={}, timeout=30)
    assert upsert.status_code == 403


def test_no_or_unknown_token_is_401(server):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        answer = requests.get(server(f"{BASE}/credentials"), headers=headers, timeout=30)
        assert answer.status_code == 401 and _minor(answer) == "unauthorizedrequest"
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_refresh_rotates_the_tokens(server, vanessa, app_client, discovery):
    oauth = connect(server, vanessa, app_client, discovery, [READ])
    old = dict(oauth.token)
    auth = HTTPBasicAuth(app_client["client_id"], app_client["client_secret"])
    new = oauth.refresh_token(_flows(discovery)["refreshUrl"], auth=auth)
    assert new["access_token"] != old["access_token"] and new["refresh_token"] != old["refresh_token"]
    assert oauth.get(server(f"{BASE}/credentials"), timeout=30).status_code == 200
    stale = requests.get(server(f"{BASE}/credentials"),
                         headers={"Authorization": f"Bearer {old['access_token']}"}, timeout=30)
    assert stale.status_code == 401
    reused = requests.post(_flows(discovery)["tokenUrl"], auth=auth, timeout=30,
                           data={"grant_type": "refresh_token", "refresh_token": old["refresh_token"]})
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_learner_withdraws_an_apps_access(server, discovery):
    learner = _signed_in(server, "vanessa@example.nl")
    client = _register(server, discovery, "Stage-app")
    oauth = connect(server, learner, client, discovery, [READ, PROFILE_READ])
    assert oauth.get(server(f"{BASE}/credentials"), timeout=30).status_code == 200
    export = learner.get(server("/passport/account/mijn-gegevens.json"), timeout=30).json()
    app = next(a for a in export["openBadgesApiApps"] if a["app"] == "Stage-app")
    assert app["tokens"][0]["scope"] == f"{READ} {PROFILE_READ}"
    assert [a["action"] for a in app["activity"]] == ["consent", "credentials_read"]
    assert oauth.token["access_token"] not in json.dumps(export)

    page = learner.get(server("/passport/apps"), timeout=30)
    assert "Stage-app" in page.text and "Je bewijzen bekijken" in page.text
    assert "laatst gebruikt op" in page.text
    assert "Je gaf toegang" in page.text and "Haalde" in page.text
    form = re.search(r'action="(/passport/apps/[^"]+/withdraw)"[^>]*>\s*<input[^>]+value="([^"]+)"',
                     page.text[page.text.index("Stage-app"):])
    done = learner.post(server(form.group(1)), data={"csrf_token": form.group(2)}, timeout=30)
    assert done.ok and "De app heeft geen toegang meer tot je pas." in done.text
    assert "Stage-app" not in done.text

    answer = oauth.get(server(f"{BASE}/credentials"), timeout=30)
    assert answer.status_code == 401 and _minor(answer) == "unauthorizedrequest"
    auth = HTTPBasicAuth(client["client_id"], client["client_secret"])
    refresh = requests.post(_flows(discovery)["tokenUrl"], auth=auth, timeout=30,
                            data={"grant_type": "refresh_token", "refresh_token": oauth.token["refresh_token"]})
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


def test_another_learner_cannot_withdraw_vanessas_app(server, discovery):
    vanessa = _signed_in(server, "vanessa@example.nl")
    client = _register(server, discovery, "Vanessa's app")
    oauth = connect(server, vanessa, client, discovery, [READ])
    ben = _signed_in(server, "ben@example.nl")
    page = ben.get(server("/passport/apps"), timeout=30).text
    assert "Vanessa's app" not in page
    token = CSRF.search(page).group(1)
    answer = ben.post(server(f"/passport/apps/{client['client_id']}/withdraw"),
                      data={"csrf_token": token}, timeout=30)
    assert answer.status_code == 404
    assert oauth.get(server(f"{BASE}/credentials"), timeout=30).status_code == 200


def test_upsert_of_a_compact_jws_as_text(server, app_client, discovery):
    from tests.interop_data import SAMPLES

    learner = _signed_in(server, "henk@example.nl")
    oauth = connect(server, learner, app_client, discovery, [READ, UPSERT])
    url = server(f"{BASE}/credentials")
    jws = (SAMPLES / "simple.jwt").read_text().strip()
    added = oauth.post(url, data=jws, headers={"Content-Type": "text/plain"}, timeout=60)
    assert added.status_code == 201, added.text
    assert added.headers["Content-Type"].startswith("text/plain") and added.text == jws
    assert jws in oauth.get(url, timeout=30).json()["compactJwsString"]


def test_the_app_can_revoke_its_own_token(server, vanessa, app_client, discovery):
    oauth = connect(server, vanessa, app_client, discovery, [READ])
    url = server(f"{BASE}/revoke")
    nobody = requests.post(url, data={"token": oauth.token["access_token"]}, timeout=30)
    assert nobody.status_code == 401  # only the app itself, with its secret
    auth = HTTPBasicAuth(app_client["client_id"], app_client["client_secret"])
    done = requests.post(url, data={"token": oauth.token["refresh_token"], "token_type_hint": "refresh_token"},
                         auth=auth, timeout=30)
    assert done.status_code == 200
    assert oauth.get(server(f"{BASE}/credentials"), timeout=30).status_code == 401


def test_errors_under_the_api_path_are_imsx_status_info(server, vanessa, app_client, discovery):
    oauth = connect(server, vanessa, app_client, discovery, [READ])
    wrong_method = oauth.delete(server(f"{BASE}/credentials"), timeout=30)
    assert wrong_method.status_code == 405 and _minor(wrong_method) == "not_allowed"
    unknown = requests.get(server(f"{BASE}/credentials/123"), timeout=30)
    assert unknown.status_code == 404 and _minor(unknown) == "not_found"
    # the consent page stays a page for people
    page = vanessa.get(server(f"{BASE}/authorize"), timeout=30)
    assert page.status_code == 400 and "Deze aanvraag klopt niet" in page.text



def test_a_code_or_refresh_token_used_at_once_twice_gives_one_token(server, vanessa, app_client, discovery):
    """Simultaneous requests with one code (or one refresh token): exactly one succeeds, never a 5xx."""
    from concurrent.futures import ThreadPoolExecutor

    token_url = _flows(discovery)["tokenUrl"]
    auth = HTTPBasicAuth(app_client["client_id"], app_client["client_secret"])
    oauth, url, page = _consent_page(server, vanessa, app_client, discovery, [READ])
    code = parse_qs(urlparse(_answer(vanessa, url, page, "allow")).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "code_verifier": oauth._code_verifier}
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _i: requests.post(token_url, data=form, auth=auth, timeout=60), range(6)))
    assert sorted(a.status_code for a in answers) == [200, 400, 400, 400, 400, 400]
    refresh = next(a for a in answers if a.status_code == 200).json()["refresh_token"]
    form = {"grant_type": "refresh_token", "refresh_token": refresh}
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _i: requests.post(token_url, data=form, auth=auth, timeout=60), range(6)))
    assert sorted(a.status_code for a in answers) == [200, 400, 400, 400, 400, 400]
