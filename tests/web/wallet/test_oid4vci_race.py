"""An offer works once even when a wallet (or a thief with the QR code) races it.

Eight clients send the same code and transaction code at the same moment, then
eight send a credential request with the one access token: exactly one of each
succeeds, the others get invalid_grant / invalid_token, nothing answers 5xx.
Committed data, one connection per thread: SQLite serialises writers with
BEGIN IMMEDIATE, PostgreSQL with the row locks in wallets/services.py.
"""

from __future__ import annotations

import threading
from collections import Counter

from badges.kernel.db import db
from badges.wallets.models import WalletDelivery
from tests.conftest import csrf_token
from tests.wallet_support import PRE_AUTH, WalletKey, offer_from_page

THREADS = 8


def _together(work) -> list:
    results: list = [None] * THREADS
    barrier = threading.Barrier(THREADS)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_code_and_token_work_once_under_a_race(app, committed_db):
    from badges.demo.loader import load_demo
    from tests.web.share.data import vanessa_credentials

    with app.app_context():
        load_demo()
        uuid = vanessa_credentials()[0].uuid
        db.session.remove()
    learner = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(learner).login("vanessa@example.nl")
    page = f"/passport/c/{uuid}/wallet"
    offer = offer_from_page(learner.post(page, data={"csrf_token": csrf_token(learner, page)})
                            .get_data(as_text=True))

    def redeem(_i: int):
        answer = app.test_client().post("/oid4vci/token", data={
            "grant_type": PRE_AUTH, "pre-authorized_code": offer.code, "tx_code": offer.tx_code})
        return answer.status_code, answer.get_json()

    tokens = _together(redeem)
    assert Counter(status for status, _ in tokens) == {200: 1, 400: THREADS - 1}, tokens
    assert {body["error"] for status, body in tokens if status == 400} == {"invalid_grant"}
    access = next(body["access_token"] for status, body in tokens if status == 200)

    key = WalletKey()
    client = app.test_client()
    nonces = [client.post("/oid4vci/nonce").get_json()["c_nonce"] for _ in range(THREADS)]

    def fetch(i: int):
        answer = app.test_client().post("/oid4vci/credential", headers={"Authorization": f"Bearer {access}"},
                                        json={"credential_configuration_id": "OpenBadgeCredential_ldp_vc",
                                              "proofs": {"jwt": [key.proof(aud="http://localhost", nonce=nonces[i])]}})
        return answer.status_code, answer.get_json()

    credentials = _together(fetch)
    assert Counter(status for status, _ in credentials) == {200: 1, 401: THREADS - 1}, credentials
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WalletDelivery)) == 1
        db.session.remove()
