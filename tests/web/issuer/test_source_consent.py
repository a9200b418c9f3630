"""Naming another organisation as assessor (the credential's ``source``) needs its consent.

Until real co-issuing exists, an organisation's admin lists on its settings page
which organisations may name it; the issue form and the API offer and accept only
those, and the audit log records the organisation named.
"""

from __future__ import annotations

import re

from badges.catalogue.models import Achievement, AchievementState
from badges.issuing.models import Credential
from badges.kernel.audit import AuditEvent
from badges.kernel.extensions import db
from badges.kernel.mail import LogMailer
from badges.organisations.api_tokens import create_api_token
from badges.organisations.models import Organisation
from tests.conftest import post_form
from tests.web.issuer.conftest import COLLEGE, TEACHER

BUILDER = "bouwbedrijf-van-houten"
BUILDER_ADMIN = "uitvoerder@vanhouten.example"


def _org(app, slug) -> Organisation:
    with app.app_context():
        return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


def _achievement_id(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Achievement.id).join(Achievement.organisation)
                                 .filter_by(slug=COLLEGE)
                                 .where(Achievement.state == AchievementState.PUBLISHED)
                                 .order_by(Achievement.id).limit(1))


def _issue(client, app, source_id, email="kim@example.nl"):
    return post_form(client, f"/issuer/{COLLEGE}/issue", {
        "achievement": _achievement_id(app), "recipient_name": "Kim",
        "recipient_email": email, "source": source_id})


def _consent(client, slugs_ids: list[int]):
    return post_form(client, f"/issuer/{BUILDER}/settings/assessor", {"allowed": slugs_ids},
                     page=f"/issuer/{BUILDER}/settings")


def _source_options(client) -> str:
    """The "assessed by" list of the issue form (the co-issuing partner list offers every
    organisation: asking a partner is how consent is obtained there)."""
    page = client.get(f"/issuer/{COLLEGE}/issue").get_data(as_text=True)
    return re.search(r'<select[^>]*name="source".*?</select>', page, re.S).group(0)


def _credential(app, email):
    with app.app_context():
        return db.session.scalar(db.select(Credential).filter_by(recipient_email=email))


def test_without_consent_the_form_does_not_offer_and_refuses(app, client, auth, demo):
    builder = _org(app, BUILDER)
    auth.login(TEACHER)
    assert "Bouwbedrijf Van Houten" not in _source_options(client)
    response = _issue(client, app, builder.id)
    assert response.status_code == 422
    assert "heeft niet toegestaan" in response.get_data(as_text=True)
    assert _credential(app, "kim@example.nl") is None


def test_admin_agrees_then_issuer_may_name_and_audit_records_it(app, client, auth, demo):
    college, builder = _org(app, COLLEGE), _org(app, BUILDER)
    auth.login(BUILDER_ADMIN)
    page = client.get(f"/issuer/{BUILDER}/settings").get_data(as_text=True)
    assert "Wie mag ons noemen als beoordelaar?" in page
    assert "Maasvallei College Zorg &amp; Welzijn" in page
    response = _consent(client, [college.id])
    assert response.status_code == 302
    with app.app_context():
        agreed = db.session.scalar(db.select(AuditEvent).filter_by(
            action="organisation.assessor_consent", organisation_id=builder.id))
        assert agreed is not None and agreed.details["allowed"] == [COLLEGE]
    auth.logout()

    auth.login(TEACHER)
    assert "Bouwbedrijf Van Houten" in _source_options(client)
    assert _issue(client, app, builder.id).status_code == 302
    cred = _credential(app, "kim@example.nl")
    assert cred.document["credentialSubject"]["source"]["name"] == "Bouwbedrijf Van Houten & Zn."
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(
            action="credential.issue", subject_id=cred.uuid))
        assert event.details["source"] == BUILDER
    auth.logout()

    auth.login(BUILDER_ADMIN)  # withdrawn: no longer offered nor accepted
    assert _consent(client, []).status_code == 302
    auth.logout()
    auth.login(TEACHER)
    assert "Bouwbedrijf Van Houten" not in _source_options(client)
    assert _issue(client, app, builder.id, email="lex@example.nl").status_code == 422
    assert _credential(app, "lex@example.nl") is None


def test_only_the_named_organisations_admin_decides(app, client, auth, demo):
    college = _org(app, COLLEGE)
    auth.login(TEACHER)  # an issuer elsewhere cannot give itself consent
    assert _consent(client, [college.id]).status_code in (403, 404)
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent).filter_by(
            action="organisation.assessor_consent")) is None


def test_api_accepts_only_agreed_sources(app, client, auth, demo):
    app.extensions["badges.mailer"] = LogMailer()
    try:
        with app.app_context():
            token = create_api_token(db.session.scalar(db.select(Organisation).filter_by(
                slug=COLLEGE)), "test")
            achievement = db.session.scalar(db.select(Achievement.uuid).join(
                Achievement.organisation).filter_by(slug=COLLEGE).where(
                Achievement.state == AchievementState.PUBLISHED).order_by(Achievement.id)
                .limit(1))
        body = {"achievement": achievement, "source": BUILDER,
                "recipient": {"email": "api-bron@example.nl", "name": "Api"}}
        headers = {"Authorization": f"Bearer {token}"}
        refused = client.post("/api/v1/credentials", json=body, headers=headers)
        assert refused.status_code == 422
        assert refused.mimetype == "application/problem+json"
        assert "source" in refused.get_json()["errors"]
        unknown = client.post("/api/v1/credentials", json={**body, "source": "bestaat-niet"},
                              headers=headers)
        assert unknown.status_code == 422 and "source" in unknown.get_json()["errors"]

        auth.login(BUILDER_ADMIN)
        _consent(client, [_org(app, COLLEGE).id])
        auth.logout()
        issued = client.post("/api/v1/credentials", json=body, headers=headers)
        assert issued.status_code == 201, issued.get_data(as_text=True)
        assert issued.get_json()["credentialSubject"]["source"]["name"] == \
            "Bouwbedrijf Van Houten & Zn."
    finally:
        app.extensions.pop("badges.mailer", None)
