"""The hand-off to a wallet, end to end, with an independent wallet library.

A live server on loopback; Vanessa makes an offer on her credential's page;
Sphereon's OpenID4VCI client (tests/wallet_client, npm) takes the offer link and
the transaction code, gets a token, proves its key and receives the credential.
What it receives must verify in Digital Bazaar's verifier (ldp_vc) or with jose
against the issuer's JWK Set (jwt_vc_json), and in ours; revoking the original in
the passport's issuer revokes the wallet's copy too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from badges.credentials.jwt import decode_vc_jwt
from badges.credentials.loader import CONTEXT_FILES
from tests.browser.conftest import LiveServer, serve
from tests.wallet_support import Offer, offer_from_page

pytestmark = pytest.mark.node

ROOT = Path(__file__).resolve().parents[2]
WALLET_DIR = ROOT / "tests" / "wallet_client"
VERIFIER_DIR = ROOT / "tests" / "node_verifier"
CONTEXTS = ROOT / "badges" / "credentials" / "contexts"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _npm_ci(folder: Path) -> None:
    """``npm ci`` unless node_modules is up to date with the lock file (a failed install fails)."""
    marker, lock = folder / "node_modules" / ".package-lock.json", folder / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    done = subprocess.run([shutil.which("npm") or "npm", "ci", "--no-audit", "--no-fund"], cwd=folder,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"npm ci in {folder} failed:\n{done.stdout}\n{done.stderr}"


def _node(folder: Path, *args: str, stdin: str | None = None) -> dict:
    _npm_ci(folder)
    done = subprocess.run([shutil.which("node") or "node", *args], cwd=folder, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip(), done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("wallet")) as live:
        yield live


@pytest.fixture(scope="module")
def vanessa(server: LiveServer) -> requests.Session:
    """Vanessa, signed in through the real login form."""
    session = requests.Session()
    token = CSRF.search(session.get(server("/login"), timeout=30).text).group(1)
    answer = session.post(server("/login"), data={"csrf_token": token, "email": "vanessa@example.nl",
                                                  "password": "skillspas-demo"}, timeout=30)
    assert answer.ok and "/login" not in answer.url
    return session


def _credentials(server: LiveServer) -> list[str]:
    from tests.web.share.data import vanessa_credentials

    with server.app.app_context():
        return [c.uuid for c in vanessa_credentials()]


def _offer(server: LiveServer, session: requests.Session, uuid: str) -> Offer:
    page = server(f"/passport/c/{uuid}/wallet")
    token = CSRF.search(session.get(page, timeout=30).text).group(1)
    answer = session.post(page, data={"csrf_token": token}, timeout=30)
    assert answer.status_code == 200
    return offer_from_page(answer.text)


def _ours(server: LiveServer, credential: dict | str) -> dict:
    if isinstance(credential, str):
        answer = requests.post(server("/api/v1/verify"), data=credential,
                               headers={"Content-Type": "text/plain"}, timeout=60)
    else:
        answer = requests.post(server("/api/v1/verify"), json=credential, timeout=60)
    return answer.json()


def _digital_bazaar(credential: dict, folder: Path) -> dict:
    _npm_ci(VERIFIER_DIR)
    (folder / "credential.json").write_text(json.dumps(credential), encoding="utf-8")
    (folder / "contexts.json").write_text(json.dumps(
        {url: str(CONTEXTS / name) for url, name in CONTEXT_FILES.items()}), encoding="utf-8")
    return _node(VERIFIER_DIR, "verify.mjs", str(folder / "credential.json"), str(folder / "contexts.json"))


@pytest.mark.parametrize("fmt,binding,scanned", [("ldp_vc", "did:key", False), ("jwt_vc_json", "jwk", True)])
def test_wallet_library_receives_a_credential_that_verifies(server, vanessa, tmp_path, fmt, binding, scanned):
    """From the link (offer by value) or the QR code (offer by reference) to a verified credential."""
    uuid = _credentials(server)[0 if fmt == "ldp_vc" else 1]
    offer = _offer(server, vanessa, uuid)
    got = _node(WALLET_DIR, "receive.mjs", offer.qr_uri if scanned else offer.uri, offer.tx_code, fmt, binding)
    assert got["ok"], got
    received = got["credential"]
    if fmt == "ldp_vc":
        document = received
        independent = _digital_bazaar(document, tmp_path)
        assert independent["verified"] is True, independent
    else:
        document = decode_vc_jwt(received)[2]
        jwks = document["issuer"]["id"] + "/jwks.json"
        independent = _node(WALLET_DIR, "verify_jwt.mjs", jwks, stdin=received)
        assert independent["verified"] is True, independent
        assert independent["payload"]["sub"] == got["holder"]
    assert document["credentialSubject"]["id"] == got["holder"]
    assert document["id"].endswith(f"/credentials/{uuid}")
    report = _ours(server, received)
    assert report["verified"] is True and report["status"] == "valid", report
    # the passport shows where it went
    page = vanessa.get(server(f"/passport/c/{uuid}/wallet"), timeout=30).text
    assert got["holder"][:40] in page
    # the offer worked once: the same link and code again are refused by the wallet library
    again = _node(WALLET_DIR, "receive.mjs", offer.uri, offer.tx_code, fmt, binding)
    assert not again["ok"] and "invalid_grant" in again["error"], again


def test_revoking_the_original_revokes_the_wallet_copy(server, vanessa):
    from badges.issuing import services as issuing
    from badges.issuing.models import Credential, CredentialState
    from badges.kernel.db import db

    uuid = _credentials(server)[2]
    offer = _offer(server, vanessa, uuid)
    got = _node(WALLET_DIR, "receive.mjs", offer.uri, offer.tx_code, "ldp_vc", "did:key")
    assert got["ok"], got
    assert _ours(server, got["credential"])["status"] == "valid"
    with server.app.test_request_context():
        original = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
        issuing.set_state(original, CredentialState.REVOKED, "Test", actor_id=None)
        issuing.commit()
        db.session.remove()
    report = _ours(server, got["credential"])
    assert report["verified"] is False and report["status"] == "revoked", report


def test_wallet_library_with_a_wrong_transaction_code_gets_invalid_grant(server, vanessa):
    offer = _offer(server, vanessa, _credentials(server)[0])
    wrong = "000000" if offer.tx_code != "000000" else "111111"
    got = _node(WALLET_DIR, "receive.mjs", offer.uri, wrong, "ldp_vc", "did:key")
    assert not got["ok"] and "invalid_grant" in got["error"], got
