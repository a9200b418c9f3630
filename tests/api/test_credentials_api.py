"""The issuing API: tokens, issue (idempotent), field errors, status changes, bulk jobs."""

from __future__ import annotations

import pytest

from badges.catalogue.models import Achievement
from badges.issuing.models import Credential
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.organisations.api_tokens import create_api_token
from badges.organisations.models import ApiToken, Organisation
from badges.verification.services import verify_upload
from tests.services.test_bulk import make_csv


@pytest.fixture
def mailer(app):
    app.extensions["badges.mailer"] = LogMailer()
    yield app.extensions["badges.mailer"]
    app.extensions.pop("badges.mailer")


def _org(slug):
    return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


@pytest.fixture
def api(app, demo, mailer):
    """A college's token, another organisation's token and a published achievement id."""
    with app.app_context():
        college = _org("maasvallei-zorg-welzijn")
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=college.id, keuzedeel_code="K0692"))
        return {"token": create_api_token(college, "test"),
                "other": create_api_token(_org("vakcollege-techniek-brabant"), "test"),
                "achievement": achievement.uuid}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def body(api, **over):
    return {"achievement": api["achievement"],
            "recipient": {"email": "api@example.nl", "name": "Api Leerling"},
            "evidence": [{"url": "https://portfolio.example/api", "name": "Portfolio"}],
            "result": {"value": "goed"}, "validUntil": "2030-12-31", "period": "2026-P1", **over}


class TestIssueCredential:
    def test_issues_a_signed_credential_that_verifies(self, client, api, app, mailer):
        resp = client.post("/api/v1/credentials", json=body(api), headers=bearer(api["token"]))
        assert resp.status_code == 201, resp.get_json()
        doc = resp.get_json()
        assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        uuid = doc["id"].rsplit("/", 1)[-1]
        assert resp.headers["Location"].endswith(f"/api/v1/credentials/{uuid}")
        with app.test_request_context():
            assert verify_upload(doc)["verified"]
        assert len(mailer.sent) == 1
        got = client.get(f"/api/v1/credentials/{uuid}", headers=bearer(api["token"])).get_json()
        assert got["state"] == "active" and got["credential"] == doc
        with app.app_context():
            assert db.session.scalar(db.select(ApiToken.last_used_at).where(
                ApiToken.prefix == api["token"][:10])) is not None

    def test_same_call_twice_returns_the_first_credential_with_200(self, client, api):
        first = client.post("/api/v1/credentials", json=body(api), headers=bearer(api["token"]))
        again = client.post("/api/v1/credentials", json=body(api), headers=bearer(api["token"]))
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.get_json()["id"] == first.get_json()["id"]
        assert again.headers["Idempotent-Replayed"] == "true"

    def test_idempotency_key(self, client, api):
        headers = {**bearer(api["token"]), "Idempotency-Key": "abc-1"}
        first = client.post("/api/v1/credentials", json=body(api, period=""), headers=headers)
        again = client.post("/api/v1/credentials", json=body(api, period=""), headers=headers)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.get_json()["id"] == first.get_json()["id"]
        other = body(api, recipient={"email": "iemand@example.nl"})
        clash = client.post("/api/v1/credentials", json=other, headers=headers)
        assert clash.status_code == 409 and clash.get_json()["code"] == "idempotency_key_reused"

    @pytest.mark.parametrize("change, field", [
        ({"recipient": {"email": "geen-email"}}, "recipient"),
        ({"achievement": "00000000-0000-0000-0000-000000000000"}, "achievement"),
        ({"validUntil": "31-12-2030"}, "validUntil"),
        ({"evidence": [{"url": "javascript:alert(1)"}]}, "evidence"),
        ({"result": {"status": "Super"}}, "result"),
    ])
    def test_field_errors_name_the_field(self, client, api, change, field):
        resp = client.post("/api/v1/credentials", json=body(api, **change),
                           headers=bearer(api["token"]))
        assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
        assert field in resp.get_json()["errors"]

    def test_missing_fields_and_non_json(self, client, api):
        resp = client.post("/api/v1/credentials", json={}, headers=bearer(api["token"]))
        assert set(resp.get_json()["errors"]) == {"achievement", "recipient"}
        resp = client.post("/api/v1/credentials", data="x", headers=bearer(api["token"]))
        assert resp.status_code == 422 and "_body" in resp.get_json()["errors"]

    def test_another_orgs_achievement_is_unknown(self, client, api):
        resp = client.post("/api/v1/credentials", json=body(api), headers=bearer(api["other"]))
        assert resp.status_code == 422 and "achievement" in resp.get_json()["errors"]

    @pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer sp_wrong"},
                                         {"Authorization": "Basic eDp5"}])
    def test_wrong_or_absent_token_is_401(self, client, api, headers):
        resp = client.post("/api/v1/credentials", json=body(api), headers=headers)
        assert resp.status_code == 401 and resp.mimetype == "application/problem+json"
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")

    def test_revoked_token_is_401(self, client, api, app):
        with app.app_context():
            row = db.session.scalar(db.select(ApiToken).filter_by(prefix=api["token"][:10]))
            from badges.kernel.models import utcnow
            row.revoked_at = utcnow()
            db.session.commit()
        assert client.get("/api/v1/credentials/x", headers=bearer(api["token"])).status_code == 401


class TestIssueRules:
    """The API applies the same rules as the issue form and the CSV (issuing/rules.py)."""

    def _errors(self, client, api, **over):
        resp = client.post("/api/v1/credentials", json=body(api, **over),
                           headers=bearer(api["token"]))
        assert resp.status_code == 422, resp.get_json()
        return resp.get_json()["errors"]

    def test_valid_until_in_the_past_is_refused(self, client, api):
        errors = self._errors(client, api, validUntil="2020-01-31")
        assert errors["validUntil"] == ["This date is in the past; pick today or later."]

    def test_evidence_url_too_long_or_not_http_is_refused(self, client, api):
        long_url = "https://portfolio.example/" + "x" * 500
        errors = self._errors(client, api, evidence=[{"url": long_url}])
        assert "500" in errors["evidence"]["0"]["url"][0]
        errors = self._errors(client, api, evidence=[{"url": "javascript://x%0aalert(1)"}])
        assert "not a web address" in errors["evidence"]["0"]["url"][0]

    def test_recipient_address_is_normalised_before_it_is_checked(self, client, api, app):
        recipient = {"email": "  Api@Example.NL ", "name": "Api Leerling"}
        resp = client.post("/api/v1/credentials", json=body(api, recipient=recipient),
                           headers=bearer(api["token"]))
        assert resp.status_code == 201, resp.get_json()
        with app.app_context():
            assert db.session.scalar(db.select(Credential.recipient_email).filter_by(
                uuid=resp.get_json()["id"].rsplit("/", 1)[-1])) == "api@example.nl"

    def test_unpublished_achievement_message_is_the_shared_one(self, client, api, app):
        with app.app_context():
            achievement = db.session.scalar(db.select(Achievement).filter_by(
                uuid=api["achievement"]))
            from badges.catalogue.models import AchievementState

            achievement.state = AchievementState.ARCHIVED
            db.session.commit()
        errors = self._errors(client, api)
        assert errors["achievement"] == ["This achievement is not published."]


class TestStateChanges:
    def _issue(self, client, api):
        doc = client.post("/api/v1/credentials", json=body(api),
                          headers=bearer(api["token"])).get_json()
        return doc["id"].rsplit("/", 1)[-1]

    def test_suspend_reinstate_revoke(self, client, api, app, mailer):
        uuid = self._issue(client, api)
        url = f"/api/v1/credentials/{uuid}"
        assert client.post(url + "/suspend", json={"reason": "onderzoek"},
                           headers=bearer(api["token"])).get_json()["state"] == "suspended"
        assert client.post(url + "/reinstate",
                           headers=bearer(api["token"])).get_json()["state"] == "active"
        missing = client.post(url + "/revoke", json={}, headers=bearer(api["token"]))
        assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]
        resp = client.post(url + "/revoke", json={"reason": "fraude"}, headers=bearer(api["token"]))
        assert resp.status_code == 200 and resp.get_json()["state"] == "revoked"
        with app.test_request_context():
            cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
            assert not verify_upload(cred.document)["verified"]
        again = client.post(url + "/reinstate", headers=bearer(api["token"]))
        assert again.status_code == 409
        assert len(mailer.sent) == 4  # issued, suspended, reinstated, revoked

    def test_another_orgs_credential_is_404(self, client, api):
        uuid = self._issue(client, api)
        for path in ("/revoke", "/suspend", ""):
            method = client.get if not path else client.post
            resp = method(f"/api/v1/credentials/{uuid}{path}", json={"reason": "x"},
                          headers=bearer(api["other"]))
            assert resp.status_code == 404 and resp.mimetype == "application/problem+json"


class TestBulkApi:
    def test_bulk_job_progress_and_rows(self, client, api, mailer):
        csv_text = make_csv(30, broken=2)
        resp = client.post("/api/v1/bulk", data=csv_text.encode(),
                           headers={**bearer(api["token"]), "Content-Type": "text/csv"})
        assert resp.status_code == 202, resp.get_json()
        job = resp.get_json()
        assert set(job) >= {"id", "state", "counts", "rows_url"}
        assert job["state"] == "done" and job["counts"]["issued"] == 28
        status = client.get(job["rows_url"] + "?per_page=10", headers=bearer(api["token"]))
        got = status.get_json()
        assert got["pages"] == 3 and got["rows"][0]["state"] == "invalid"
        assert got["rows"][0]["errors"][0]["message"].startswith("Regel 2")
        assert got["rows"][2]["credential"] and got["next"]
        invalid = client.get(job["rows_url"] + "?state=invalid", headers=bearer(api["token"]))
        assert [r["line"] for r in invalid.get_json()["rows"]] == [2, 3]
        other = client.get(job["rows_url"], headers=bearer(api["other"]))
        assert other.status_code == 404
        assert len(mailer.sent) == 28

    def test_an_interrupted_job_says_so(self, client, api, app):
        from badges.issuing.models import BulkJob, BulkJobState
        from badges.kernel.db import db

        resp = client.post("/api/v1/bulk", data=make_csv(2).encode(),
                           headers={**bearer(api["token"]), "Content-Type": "text/csv"})
        job = resp.get_json()
        with app.app_context():  # what a process killed half-way leaves behind
            row = db.session.scalar(db.select(BulkJob).filter_by(uuid=job["id"]))
            row.state, row.owner, row.heartbeat_at = BulkJobState.RUNNING, "elders:1", None
            db.session.commit()
        got = client.get(job["rows_url"], headers=bearer(api["token"])).get_json()
        assert got["state"] == "interrupted"

    def test_bulk_refuses_other_types_and_files_without_valid_rows(self, client, api):
        wrong = client.post("/api/v1/bulk", json={}, headers=bearer(api["token"]))
        assert wrong.status_code == 415
        bad = client.post("/api/v1/bulk", data=make_csv(2, broken=2).encode(),
                          headers={**bearer(api["token"]), "Content-Type": "text/csv"})
        assert bad.status_code == 422 and bad.get_json()["job"]["counts"]["invalid"] == 2
        nohead = client.post("/api/v1/bulk", data=b"a;b\r\n1;2\r\n",
                             headers={**bearer(api["token"]), "Content-Type": "text/csv"})
        assert nohead.status_code == 400 and "file" in nohead.get_json()["errors"]
        assert client.post("/api/v1/bulk", data=b"x", headers={
            "Content-Type": "text/csv"}).status_code == 401
