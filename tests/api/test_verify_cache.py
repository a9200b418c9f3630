"""POST /api/v1/verify with remembered answers: faster, never staler.

The same body checked again is answered from the per-process cache after one
query that re-reads the facts the answer rests on; anything that changes the
answer (revocation, suspension, a compromised key, the platform's verdict on
the issuer, a date passing, another e-mail address) is seen by the very next
check. Answers that rest on fetched documents are never remembered.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from badges.demo.loader import load_demo
from badges.issuing import keystore
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState, SigningKey, StatusList
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation, OrganisationKind
from badges.verification import services as verification
from badges.verification.outcome import answers
from tests._verify_cache_support import HostedBadge, count_verifications, frozen_clock, sql_log
from tests._verify_support import SAMPLES, baked_png, issue, revoke

URL = "/api/v1/verify"
RIGHT, WRONG = "kandidaat@example.nl", "ander@example.nl"


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list:
    """The verifications actually made (a remembered answer makes none)."""
    return count_verifications(monkeypatch)


def post(client, body: bytes, content_type: str = "application/json", **kw):
    return client.post(URL, data=body, content_type=content_type, **kw)


def _bytes(credential) -> bytes:
    return json.dumps(credential.document, indent=1).encode()


@pytest.fixture
def body(ours) -> bytes:
    return _bytes(ours)


class TestSameBodyTwice:
    def test_second_answer_is_identical_and_comes_from_the_cache(self, client, body, runs):
        first = post(client, body)
        assert first.status_code == 200 and first.get_json()["status"] == "valid"
        assert len(runs) == 1 and runs[0].cacheable
        with sql_log() as log:
            second = post(client, body)
        assert second.status_code == 200
        assert second.data == first.data
        assert len(runs) == 1  # not verified again...
        assert len(log.queries) == 1, log.queries  # ...only its facts read again
        assert log.writes == []

    def test_the_remembered_answer_is_what_a_fresh_check_says(self, client, body):
        remembered = [post(client, body).data for _ in range(2)]
        answers().clear()
        assert post(client, body).data == remembered[0] == remembered[1]


class TestChangesAreSeenByTheNextCheck:
    def test_revoked(self, client, ours, body, runs):
        assert post(client, body).get_json()["status"] == "valid"
        post(client, body)
        revoke(ours)
        answer = post(client, body).get_json()
        assert (answer["status"], answer["outcome"], answer["verified"]) == (
            "revoked", "revoked", False)
        assert post(client, body).get_json()["status"] == "revoked"
        assert len(runs) == 2  # remembered again once the new answer was made

    def test_suspended_then_reinstated(self, client, ours, body):
        assert post(client, body).get_json()["status"] == "valid"
        issuing.change_state(ours, CredentialState.SUSPENDED, "onderzoek", actor_id=None)
        answer = post(client, body).get_json()
        assert (answer["status"], answer["outcome"]) == ("suspended", "suspended")
        issuing.change_state(ours, CredentialState.ACTIVE, "klaar", actor_id=None)
        answer = post(client, body).get_json()
        assert (answer["status"], answer["verified"]) == ("valid", True)

    def test_another_credential_revoked_on_the_same_list_changes_nothing_here(
            self, client, ours, body):
        assert post(client, body).get_json()["status"] == "valid"
        neighbour = issue(email="buur@example.nl")
        assert neighbour.revocation_list_id == ours.revocation_list_id
        revoke(neighbour)
        assert post(client, body).get_json()["status"] == "valid"
        assert post(client, _bytes(neighbour)).get_json()["status"] == "revoked"

    def test_compromised_key(self, client, ours, body):
        assert post(client, body).get_json()["verified"] is True
        keystore.mark_compromised(db.session.get(SigningKey, ours.signing_key_id))
        answer = post(client, body).get_json()
        assert answer["verified"] is False
        assert (answer["status"], answer["outcome"]) == ("invalid", "compromised_key")

    def test_platform_verification_of_the_issuer(self, client, ours, body):
        college = ours.organisation
        assert post(client, body).get_json()["issuer_trust"]["state"] == "verified"
        college.verified = False
        db.session.commit()
        trust = post(client, body).get_json()["issuer_trust"]
        assert (trust["state"], trust["platform_verified"]) == ("known", False)
        college.verified = True
        db.session.commit()
        assert post(client, body).get_json()["issuer_trust"]["state"] == "verified"

    def test_the_email_is_part_of_what_is_remembered(self, client, body):
        def verified(email: str | None) -> bool:
            query = {"email": email} if email is not None else {}
            return post(client, body, query_string=query).get_json()["verified"]

        assert verified(RIGHT) is True
        assert verified(WRONG) is False
        assert verified(RIGHT) is True
        assert verified(f"  {RIGHT} ") is True
        assert verified(None) is True  # no address given: nothing to compare
        assert verified(WRONG) is False

    def test_the_email_in_a_wrapped_body_is_part_of_it_too(self, client, ours):
        def wrapped(email: str) -> bytes:
            return json.dumps({"credential": ours.document, "email": email}).encode()

        assert post(client, wrapped(RIGHT)).get_json()["verified"] is True
        assert post(client, wrapped(WRONG)).get_json()["verified"] is False
        assert post(client, wrapped(RIGHT)).get_json()["verified"] is True


class TestDates:
    def test_a_remembered_answer_expires_with_the_credential(self, client, make_credential,
                                                             runs, monkeypatch):
        until = (utcnow() + timedelta(hours=1)).replace(microsecond=0)
        body = _bytes(make_credential(valid_until=until))
        first = post(client, body)
        assert first.get_json()["status"] == "valid"
        frozen_clock(monkeypatch, until - timedelta(seconds=1))
        assert post(client, body).data == first.data
        assert len(runs) == 1
        frozen_clock(monkeypatch, until + timedelta(seconds=1))
        answer = post(client, body).get_json()
        assert (answer["status"], answer["outcome"], answer["verified"]) == (
            "expired", "expired", False)
        assert len(runs) == 2


class TestNotRemembered:
    def test_an_answer_resting_on_a_fetched_document_is_checked_again(self, client,
                                                                      monkeypatch, runs):
        hosted = HostedBadge()
        monkeypatch.setattr(verification, "fetcher", hosted.fetcher)
        first = post(client, hosted.local_copy)
        assert first.get_json()["status"] == "valid"
        assert post(client, hosted.local_copy).data == first.data
        assert [run.cacheable for run in runs] == [False, False]  # checked twice...
        assert [hosted.url in f.calls for f in hosted.fetchers] == [True, True]  # ...fetched twice
        hosted.revoke()  # the issuer's server now says otherwise
        assert post(client, hosted.local_copy).get_json()["status"] == "revoked"

    def test_a_credential_from_elsewhere_is_remembered_and_stays_right(self, app, client,
                                                                       runs):
        sample = (SAMPLES / "simple.json").read_bytes()
        with app.app_context():
            answers().clear()
        first = post(client, sample)
        assert (first.get_json()["status"], first.get_json()["outcome"]) == (
            "indeterminate", "key_unconfirmed")
        assert runs[-1].cacheable is True
        with app.app_context(), sql_log() as log:
            again = post(client, sample)
        assert again.data == first.data and len(runs) == 1
        # names nothing of ours; the one read: is its issuer's name still nobody's here?
        assert len(log.queries) == 1 and "name_key" in log.queries[0]
        with app.app_context():
            answers().clear()
        assert post(client, sample).data == first.data

    def test_a_name_taken_later_changes_the_remembered_answer(self, app, client, runs):
        sample = (SAMPLES / "simple.json").read_bytes()  # issuer "Example Corp"
        with app.app_context():
            answers().clear()
        assert post(client, sample).get_json()["issuerTrust"] == "unconfirmed"
        with app.app_context():
            db.session.add(Organisation(slug="example-corp", name="Example Corp.",
                                        kind=OrganisationKind.EMPLOYER, verified=True))
            db.session.commit()
        body = post(client, sample).get_json()
        assert len(runs) == 2  # checked again, not answered from memory
        assert (body["issuerTrust"], body["outcome"]) == ("impersonation", "impersonation")

    @pytest.mark.parametrize("data", [b'{"a": ', b'{"a": 1, "a": 2}', b"[1, 2]", b"\xff\xfe"])
    def test_an_unparseable_body_is_never_remembered(self, app, client, runs, data):
        with app.app_context():
            answers().clear()
        for _ in range(2):
            assert post(client, data).status_code == 400
        assert runs == []
        with app.app_context():
            assert len(answers()._answers) == 0


class TestHowTheBodyIsRead:
    """One set of bytes can mean different things by content type: JSON unwraps
    ``{"credential": ...}``, text/plain and files do not. A remembered answer for
    the bytes read one way must never answer the bytes read the other way."""

    def test_a_wrapped_body_gets_the_credentials_answer(self, client, ours, body):
        wrapped = json.dumps({"credential": ours.document}).encode()
        assert post(client, wrapped).get_json()["status"] == "valid"
        assert post(client, wrapped).get_json()["status"] == "valid"
        assert post(client, body).get_json()["status"] == "valid"

    def test_a_wrapper_sent_as_text_first_does_not_answer_it_sent_as_json(self, client, ours):
        wrapped = json.dumps({"credential": ours.document}).encode()
        as_text = post(client, wrapped, "text/plain").get_json()
        assert as_text["status"] == "invalid"  # as text it is a document without a proof
        as_json = post(client, wrapped).get_json()
        assert (as_json["status"], as_json["verified"]) == ("valid", True)

    def test_a_wrapper_uploaded_as_a_file_first_does_not_answer_it_sent_as_json(self, client,
                                                                                ours):
        wrapped = json.dumps({"credential": ours.document}).encode()
        upload = client.post(URL, data={"file": (io.BytesIO(wrapped), "badge.json")},
                             content_type="multipart/form-data").get_json()
        assert upload["status"] == "invalid"
        assert post(client, wrapped).get_json()["status"] == "valid"

    def test_a_doubly_wrapped_body_does_not_answer_the_singly_wrapped_one(self, client, ours):
        inner = {"credential": ours.document}
        # What the doubly wrapped body's inner part hashes as (compact, sorted keys).
        single = json.dumps(inner, sort_keys=True, separators=(",", ":"),
                            ensure_ascii=False).encode()
        double = json.dumps({"credential": inner}).encode()
        assert post(client, double).get_json()["status"] == "invalid"
        answer = post(client, single).get_json()
        assert (answer["status"], answer["verified"]) == ("valid", True)

    def test_an_image_remembered_as_an_image_is_still_refused_as_json(self, client, ours):
        png = baked_png(ours)
        assert post(client, png, "image/png").get_json()["status"] == "valid"
        refused = post(client, png)
        assert refused.status_code == 400
        assert refused.mimetype == "application/problem+json"
        assert post(client, png, "image/png").get_json()["status"] == "valid"


class TestHeaders:
    def test_api_answers_set_no_cookie_even_for_a_browser_with_a_session(self, client, body):
        page = client.get("/verify")
        assert "Set-Cookie" in page.headers  # the page's form keeps its CSRF token
        for response in (post(client, body), post(client, body), post(client, b"{")):
            assert "Set-Cookie" not in response.headers
            assert "cookie" not in response.headers.get("Vary", "").lower()
            csp = response.headers["Content-Security-Policy"]
            assert "nonce-" not in csp and "default-src 'self'" in csp
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert post(client, body).headers["Cache-Control"] == "no-store"

    def test_the_verify_page_keeps_a_fresh_nonce_per_response(self, client):
        nonces = []
        for _ in range(2):
            page = client.get("/verify")
            assert page.mimetype == "text/html"
            csp = page.headers["Content-Security-Policy"]
            nonce = csp.split("'nonce-", 1)[1].split("'", 1)[0]
            assert f"style-src 'self' 'nonce-{nonce}'" in csp
            assert f'nonce="{nonce}"' in page.get_data(as_text=True)
            nonces.append(nonce)
        assert nonces[0] != nonces[1]


def test_with_real_commits_the_next_check_sees_a_revocation(app, committed_db, client):
    """No shared test connection: each request gets its own session, as in production
    (PostgreSQL: autocommit reads; SQLite: a transaction without the write lock)."""
    with app.app_context():
        load_demo()
        credential = issue()
        uuid, body = credential.uuid, _bytes(credential)
        engine = db.engine
        list_id = credential.revocation_list_id
        db.session.remove()

    first = post(client, body)
    assert first.get_json()["status"] == "valid"

    # Another connection holds a write transaction (and the list's row) open:
    # the verifier neither waits for it nor sees its uncommitted state.
    with engine.connect() as writer:
        writer.begin()
        writer.execute(select(StatusList.id).where(StatusList.id == list_id).with_for_update())
        autocommit: list[bool] = []
        with sql_log(engine) as log:
            def note(conn, *_args) -> None:
                if conn is not writer and engine.dialect.name == "postgresql":
                    autocommit.append(conn.connection.dbapi_connection.autocommit)

            event.listen(engine, "before_cursor_execute", note)
            try:
                second = post(client, body)
            finally:
                event.remove(engine, "before_cursor_execute", note)
        writer.rollback()
    assert second.data == first.data
    assert log.writes == []
    if engine.dialect.name == "postgresql":
        assert autocommit and all(autocommit)

    with app.app_context():
        revoke(db.session.scalar(select(Credential).filter_by(uuid=uuid)))
        db.session.remove()
    assert post(client, body).get_json()["status"] == "revoked"
    assert post(client, body).get_json()["status"] == "revoked"
