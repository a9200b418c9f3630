"""API token scopes (issue, revoke, bulk, read), expiry, and the token named in the audit log
(#15.12): every /api/v1 and /vc-api route that takes a token checks its scope."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from badges.catalogue.models import Achievement
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.kernel.models import utcnow
from badges.organisations.api_tokens import create_api_token
from badges.organisations.models import SCOPES, ApiToken, Organisation
from tests.conftest import post_form
from tests.services.test_bulk import make_csv

COLLEGE = "maasvallei-zorg-welzijn"
ADMIN = "beheer@rocdemaasvallei.example"  # admin at COLLEGE


@pytest.fixture
def mailer(app):
    app.extensions["badges.mailer"] = LogMailer()
    yield app.extensions["badges.mailer"]
    app.extensions.pop("badges.mailer")


def _college():
    return db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))


@pytest.fixture
def world(app, demo, mailer):
    """One token per scope, one with every scope but that one, and an issued credential."""
    with app.app_context():
        college = _college()
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=college.id, keuzedeel_code="K0692"))
        only = {s: create_api_token(college, f"only-{s}", scopes=[s]) for s in SCOPES}
        without = {s: create_api_token(college, f"without-{s}",
                                       scopes=[o for o in SCOPES if o != s]) for s in SCOPES}
        full = create_api_token(college, "Eduarte")
        achievement_id = achievement.uuid
    return {"only": only, "without": without, "full": full, "achievement": achievement_id}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def issue_body(world, email="scope@example.nl"):
    return {"achievement": world["achievement"],
            "recipient": {"email": email, "name": "Scope Leerling"}}


def issued(client, world) -> str:
    response = client.post("/api/v1/credentials", json=issue_body(world, "held@example.nl"),
                           headers=bearer(world["full"]))
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()["id"].rsplit("/", 1)[-1]


def vc():
    return {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:learner"}}


def calls(client, world):
    """Each scope's routes, as (method, url, keyword arguments)."""
    cid = issued(client, world)
    vc_issue = f"/vc-api/issuers/{COLLEGE}/credentials/issue"
    vc_status = f"/vc-api/issuers/{COLLEGE}/credentials/status"
    return {
        "issue": [("post", "/api/v1/credentials", {"json": issue_body(world)}),
                  ("post", vc_issue, {"json": {"credential": vc(), "options": {}}})],
        "read": [("get", f"/api/v1/credentials/{cid}", {})],
        "revoke": [("post", f"/api/v1/credentials/{cid}/suspend", {"json": {}}),
                   ("post", f"/api/v1/credentials/{cid}/reinstate", {"json": {}}),
                   ("post", f"/api/v1/credentials/{cid}/revoke", {"json": {"reason": "fout"}}),
                   ("post", vc_status, {"json": {"credentialId": "urn:uuid:none",
                                                 "credentialStatus": [{
                                                     "type": "BitstringStatusListEntry",
                                                     "status": "1",
                                                     "statusPurpose": "revocation"}]}})],
        "bulk": [("post", "/api/v1/bulk", {"data": make_csv(1), "content_type": "text/csv"}),
                 ("get", "/api/v1/bulk/00000000-0000-0000-0000-000000000000", {})],
    }


@pytest.mark.parametrize("scope", SCOPES)
def test_a_token_without_the_scope_gets_403_naming_it(client, world, scope):
    for method, url, kw in calls(client, world)[scope]:
        response = getattr(client, method)(url, headers=bearer(world["without"][scope]), **kw)
        assert response.status_code == 403, (url, response.get_json())
        problem = response.get_json()
        assert problem["code"] == "insufficient_scope" and problem["scope"] == scope
        assert f"'{scope}'" in problem["detail"] and f"'{scope}'" in problem["detail_nl"]
        assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("scope", SCOPES)
def test_a_token_with_only_the_scope_gets_past_the_check(client, world, scope):
    for method, url, kw in calls(client, world)[scope]:
        response = getattr(client, method)(url, headers=bearer(world["only"][scope]), **kw)
        assert response.status_code not in (401, 403), (url, response.get_json())
    other = next(s for s in SCOPES if s != scope)
    method, url, kw = calls(client, world)[other][0]
    response = getattr(client, method)(url, headers=bearer(world["only"][scope]), **kw)
    assert response.status_code == 403 and response.get_json()["scope"] == other


def test_an_expired_token_is_401(app, client, world):
    with app.app_context():
        token = create_api_token(_college(), "old", expires_at=utcnow() - timedelta(seconds=1))
        live = create_api_token(_college(), "new", expires_at=utcnow() + timedelta(days=1))
    response = client.post("/api/v1/credentials", json=issue_body(world), headers=bearer(token))
    assert response.status_code == 401
    assert "expired" in response.get_json()["detail"]
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    response = client.post("/api/v1/credentials", json=issue_body(world), headers=bearer(live))
    assert response.status_code == 201


def test_the_audit_log_names_the_token_as_actor(app, client, auth, world):
    cid = issued(client, world)
    client.post(f"/api/v1/credentials/{cid}/suspend", json={}, headers=bearer(world["full"]))
    with app.app_context():
        rows = list(db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.subject_id == cid)))
        prefix = world["full"][:10]
        assert {r.action for r in rows} == {"credential.issue", "credential.suspended"}
        assert all(r.actor_label == f"API: Eduarte ({prefix}…)" for r in rows)
    auth.login(ADMIN)
    html = client.get(f"/issuer/{COLLEGE}/audit").get_data(as_text=True)
    assert f"API: Eduarte ({prefix}…)" in html


def test_the_token_page_sets_scopes_and_expiry(app, client, auth, demo):
    auth.login(ADMIN)
    page = f"/issuer/{COLLEGE}/tokens"
    form = client.get(page).get_data(as_text=True)
    assert len(re.findall(r'name="scopes" value="\w+" checked', form)) == 4  # all, by default
    day = (utcnow() + timedelta(days=30)).date()
    html = post_form(client, page, {"name": "Alleen lezen", "scopes": ["read"],
                                    "expires": day.isoformat()}).get_data(as_text=True)
    token = re.search(r'value="(sp_[\w-]+)"', html).group(1)
    with app.app_context():
        row = db.session.scalar(db.select(ApiToken).filter_by(name="Alleen lezen"))
        assert row.scopes == "read" and row.expires_at.date() == day
        assert row.token_hash != token
    assert day.strftime("%d-%m-%Y") in html
    refused = post_form(client, page, {"name": "Niets", "expires": "2020-01-01"})
    text = refused.get_data(as_text=True)
    assert "Kies minstens één recht." in text and "Kies een datum na vandaag." in text


def test_the_cli_makes_a_token_with_the_scopes_named(app, client, world):
    result = app.test_cli_runner().invoke(args=["token", "create", "--issuer", COLLEGE,
                                                "--scope", "read", "--name", "cli-read"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().split()[-1]
    response = client.post("/api/v1/credentials", json=issue_body(world), headers=bearer(token))
    assert response.status_code == 403 and response.get_json()["scope"] == "issue"
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken.scopes).filter_by(name="cli-read")) == "read"


def _last_event_id(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.max(AuditEvent.id))) or 0


def test_a_bulk_job_started_by_a_token_names_it_on_every_row(app, client, world):
    before = _last_event_id(app)
    response = client.post("/api/v1/bulk", data=make_csv(3).encode(),
                           headers={**bearer(world["only"]["bulk"]), "Content-Type": "text/csv"})
    assert response.status_code == 202 and response.get_json()["counts"]["issued"] == 3
    label = f"API: only-bulk ({world['only']['bulk'][:10]}…)"
    with app.app_context():
        actions = [(e.action, e.actor_label) for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.id > before))]
    assert sorted(a for a, _ in actions) == ["bulk.done", "bulk.start", "bulk.upload"] + [
        "credential.issue"] * 3
    assert {label} == {who for _, who in actions}


def test_a_queued_bulk_job_carries_the_token_to_the_worker(app, world):
    """With a queue the job runs in a worker's own app context: the label goes as an argument."""
    from badges.issuing import bulk

    with app.app_context():
        job = bulk.create_job(_college(), make_csv(2).encode(), filename="w.csv")
        job_id = job.id
        job.state = bulk.BulkJobState.QUEUED
        db.session.commit()
    before = _last_event_id(app)
    with app.app_context():  # as run_in_app does in the worker
        bulk.run_job(job_id, actor_label="API: Eduarte (sp_abcdefg…)")
    with app.app_context():
        labels = set(db.session.scalars(db.select(AuditEvent.actor_label).where(
            AuditEvent.id > before)))
    assert labels == {"API: Eduarte (sp_abcdefg…)"}
