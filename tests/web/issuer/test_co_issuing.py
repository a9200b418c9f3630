"""Co-issuing (#16 item 10): the partner agrees, and both organisations sign.

The college names the leerbedrijf as partner when issuing; the credential waits,
unsigned and unsent ("wacht op partner"); the leerbedrijf's admins and issuers see
the request in their workspace and accept (a proof set: one proof per organisation,
each its own key) or decline with a reason (then the college issues alone or
cancels). Both sides get mail, and both audit logs record each step.
"""

from __future__ import annotations

import json
import re

from badges.issuing.models import CoIssueRequest, CoIssueState, Credential
from badges.kernel.audit import AuditEvent
from badges.kernel.extensions import db
from badges.kernel.urls import issuer_id
from tests.conftest import post_form
from tests.web.issuer.conftest import ADMIN, COLLEGE, OUTSIDER, TEACHER
from tests.web.issuer.test_source_consent import BUILDER, BUILDER_ADMIN, _achievement_id, _org

EMAIL = "stagiair@example.nl"


def _ask(client, app, partner_id, email=EMAIL):
    return post_form(client, f"/issuer/{COLLEGE}/issue", {
        "achievement": _achievement_id(app), "recipient_name": "Sanne Stagiair",
        "recipient_email": email, "partner": partner_id, "result": "goed",
        "assessor": "J. de Vries"})


def _request(app, email=EMAIL) -> CoIssueRequest:
    with app.app_context():
        return db.session.scalar(db.select(CoIssueRequest).filter_by(recipient_email=email))


def _credential(app, email=EMAIL) -> Credential | None:
    with app.app_context():
        return db.session.scalar(db.select(Credential).filter_by(recipient_email=email))


def _audit(app, action) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent).filter_by(action=action)))


def _mails_to(mailbox, address):
    return [m for m in mailbox.sent if m.to == address]


def test_accepted_request_is_issued_with_a_proof_set_and_both_sides_told(
        app, client, auth, demo, mailbox):
    builder = _org(app, BUILDER)
    auth.login(TEACHER)
    asked = _ask(client, app, builder.id)
    assert asked.status_code == 302, asked.get_data(as_text=True)
    row = _request(app)
    assert row.state == CoIssueState.PENDING
    assert _credential(app) is None  # wacht op partner: nothing signed, nothing sent
    assert not _mails_to(mailbox, EMAIL)
    assert "Wacht op partner" in client.get(asked.headers["Location"]).get_data(as_text=True)
    requested = _audit(app, "co_issue.request")
    assert {e.organisation_id for e in requested} == {_org(app, COLLEGE).id, builder.id}
    told = _mails_to(mailbox, BUILDER_ADMIN)
    assert told and f"/issuer/{BUILDER}/co-issuing/{row.uuid}" in told[-1].text
    # the issuer cannot accept its own request
    own = post_form(client, f"/issuer/{COLLEGE}/co-issuing/{row.uuid}/accept", {},
                    page=f"/issuer/{COLLEGE}/co-issuing/{row.uuid}")
    assert own.status_code == 302 and _credential(app) is None
    auth.logout()

    auth.login(BUILDER_ADMIN)
    listing = client.get(f"/issuer/{BUILDER}/co-issuing").get_data(as_text=True)
    assert "Sanne Stagiair" in listing and "Wacht op partner" in listing
    page = f"/issuer/{BUILDER}/co-issuing/{row.uuid}"
    assert "Instemmen en ondertekenen" in client.get(page).get_data(as_text=True)
    accepted = post_form(client, f"{page}/accept", {}, page=page)
    assert accepted.status_code == 302
    auth.logout()

    cred = _credential(app)
    assert cred is not None and _request(app).state == CoIssueState.ACCEPTED
    doc = cred.document
    assert doc["credentialSubject"]["source"]["name"] == "Bouwbedrijf Van Houten & Zn."
    proofs = doc["proof"]
    assert isinstance(proofs, list) and len(proofs) == 2
    with app.app_context():
        ids = [issuer_id(COLLEGE), issuer_id(BUILDER)]
    assert [p["verificationMethod"].split("#")[0] for p in proofs] == ids
    assert all("previousProof" not in p for p in proofs)
    assert _mails_to(mailbox, EMAIL)  # the learner hears of it only now
    assert any("ingestemd" in m.text for m in _mails_to(mailbox, TEACHER))
    assert {e.organisation_id for e in _audit(app, "co_issue.accept")} == {
        _org(app, COLLEGE).id, builder.id}

    verified = client.post("/api/v1/verify", json=doc).get_json()
    assert verified["verified"] is True, verified
    signers = verified["signers"]
    assert [(s["slug"], s["role"], s["status"], s["level"]) for s in signers] == [
        (COLLEGE, "issuer", "verified", "known"), (BUILDER, "co-signer", "verified", "known")]
    assert "Mede-ondertekend door Bouwbedrijf Van Houten & Zn." in verified["summary"]["nl"]
    assert "Co-signed by Bouwbedrijf Van Houten & Zn." in verified["summary"]["en"]
    html = post_form(client, "/verify", {"text": json.dumps(doc)}, page="/verify")
    text = html.get_data(as_text=True)
    assert "Ondertekend door" in text and "Bouwbedrijf Van Houten &amp; Zn." in text
    assert "mede-ondertekenaar" in text

    # a forged partner proof is caught: every proof is checked
    forged = {**doc, "proof": [proofs[0], {**proofs[1], "proofValue": proofs[0]["proofValue"]}]}
    assert client.post("/api/v1/verify", json=forged).get_json()["verified"] is False


def test_declined_with_reason_then_issued_alone_or_cancelled(app, client, auth, demo, mailbox):
    builder = _org(app, BUILDER)
    auth.login(TEACHER)
    _ask(client, app, builder.id)
    _ask(client, app, builder.id, email="tweede@example.nl")
    first, second = _request(app), _request(app, "tweede@example.nl")
    auth.logout()

    auth.login(BUILDER_ADMIN)
    page = f"/issuer/{BUILDER}/co-issuing/{first.uuid}"
    no_reason = post_form(client, f"{page}/decline", {"reason": ""}, page=page)
    assert no_reason.status_code == 422 and _request(app).state == CoIssueState.PENDING
    reason = "Sanne heeft hier geen stage bij ons gelopen."
    assert post_form(client, f"{page}/decline", {"reason": reason}, page=page).status_code == 302
    page2 = f"/issuer/{BUILDER}/co-issuing/{second.uuid}"
    post_form(client, f"{page2}/decline", {"reason": "Onbekend"}, page=page2)
    auth.logout()
    assert _request(app).state == CoIssueState.DECLINED
    assert any(reason in m.text for m in _mails_to(mailbox, TEACHER))
    assert _audit(app, "co_issue.decline")

    auth.login(TEACHER)
    mine = f"/issuer/{COLLEGE}/co-issuing/{first.uuid}"
    detail = client.get(mine).get_data(as_text=True)
    assert reason in detail and "Zonder partner uitgeven" in detail
    assert post_form(client, f"{mine}/issue-alone", {}, page=mine).status_code == 302
    cred = _credential(app)
    assert _request(app).state == CoIssueState.ISSUED_ALONE
    assert isinstance(cred.document["proof"], dict)  # one proof: the college's alone
    assert "source" not in cred.document["credentialSubject"]
    mine2 = f"/issuer/{COLLEGE}/co-issuing/{second.uuid}"
    assert post_form(client, f"{mine2}/cancel", {}, page=mine2).status_code == 302
    assert _request(app, "tweede@example.nl").state == CoIssueState.CANCELLED
    assert _credential(app, "tweede@example.nl") is None


def test_only_the_two_organisations_see_a_request(app, client, auth, demo, mailbox):
    auth.login(TEACHER)
    _ask(client, app, _org(app, BUILDER).id)
    row = _request(app)
    auth.logout()
    auth.login(OUTSIDER)
    slug = re.search(r"/issuer/([^/]+)/", client.get("/issuer/", follow_redirects=True).request.path
                     + "/").group(1)
    assert client.get(f"/issuer/{slug}/co-issuing/{row.uuid}").status_code == 404
    auth.logout()
    auth.login(ADMIN)  # the college's admin sees it, but may not decide for the partner
    assert client.get(f"/issuer/{COLLEGE}/co-issuing/{row.uuid}").status_code == 200
    page = f"/issuer/{COLLEGE}/co-issuing/{row.uuid}"
    post_form(client, f"{page}/decline", {"reason": "nee"}, page=page)
    assert _request(app).state == CoIssueState.PENDING


def test_the_api_asks_the_partner_too(app, client, auth, demo, mailbox):
    from badges.catalogue.models import Achievement, AchievementState
    from badges.organisations.api_tokens import create_api_token
    from badges.organisations.models import Organisation

    with app.app_context():
        college = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
        token = create_api_token(college, "test")
        achievement = db.session.scalar(db.select(Achievement.uuid).filter_by(
            organisation_id=college.id, state=AchievementState.PUBLISHED)
            .order_by(Achievement.id).limit(1))
    headers = {"Authorization": f"Bearer {token}"}
    body = {"achievement": achievement, "partner": BUILDER,
            "recipient": {"email": "api-samen@example.nl", "name": "Api Samen"}}
    asked = client.post("/api/v1/credentials", json=body, headers=headers)
    assert asked.status_code == 202, asked.get_data(as_text=True)
    assert asked.get_json()["coIssueRequest"]["state"] == "pending"
    assert _credential(app, "api-samen@example.nl") is None
    assert _mails_to(mailbox, BUILDER_ADMIN)
    unknown = client.post("/api/v1/credentials", json={**body, "partner": "bestaat-niet"},
                          headers=headers)
    assert unknown.status_code == 422 and "partner" in unknown.get_json()["errors"]
