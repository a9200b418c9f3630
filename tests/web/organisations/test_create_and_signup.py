"""Organisations without SQL: the platform admin creates them, others sign up and get reviewed."""

from __future__ import annotations

import json
import re

from badges.kernel.db import db
from badges.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationRequest,
    RequestState,
    Role,
)
from tests.conftest import post_form

PLATFORM = "beheer@skillspas.example"


def _org(name: str) -> Organisation | None:
    return db.session.scalar(db.select(Organisation).filter_by(name=name))


def _link(text: str) -> str:
    return re.search(r"http://localhost(/uitnodiging/[\w-]+)", text).group(1)


def test_platform_admin_creates_an_organisation_whose_admin_accepts(app, demo, client, auth,
                                                                     mailbox):
    auth.login(PLATFORM)
    page = client.get("/admin/")
    assert "Organisatie aanmaken" in page.get_data(as_text=True)
    response = post_form(client, "/admin/organisations/new", {
        "name": "ROC Rivierenland", "kind": "college", "parent": "", "brin": "25LX",
        "kvk": "", "website": "https://rocrivierenland.example", "city": "Tiel",
        "admin_email": "henk@example.nl", "admin_name": "Henk"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "ROC Rivierenland is aangemaakt" in html
    with app.app_context():
        org = _org("ROC Rivierenland")
        assert org.slug == "roc-rivierenland" and org.brin == "25LX"
        assert db.session.scalar(db.select(Membership).filter_by(organisation_id=org.id)) is None
    invitation_mail = next(m for m in mailbox.sent if m.to == "henk@example.nl")
    link = _link(invitation_mail.text)
    assert link in html  # the admin can pass the link on, once
    auth.logout()
    auth.login("henk@example.nl")
    response = post_form(client, link, {"answer": "accept"})
    assert response.status_code == 302
    assert client.get("/issuer/roc-rivierenland/units").status_code == 200


def test_creating_needs_a_valid_brin_and_the_platform_admin(app, demo, client, auth):
    auth.login(PLATFORM)
    response = post_form(client, "/admin/organisations/new", {
        "name": "Fout", "kind": "college", "parent": "", "brin": "XX",
        "admin_email": "henk@example.nl"})
    assert response.status_code == 422
    assert "Een BRIN-code is 2 cijfers en 2 letters" in response.get_data(as_text=True)
    auth.logout()
    auth.login("beheer@rocdemaasvallei.example")
    response = post_form(client, "/admin/organisations/new", {
        "name": "Stiekem", "kind": "college", "admin_email": "x@example.nl"}, page="/issuer/")
    assert response.status_code == 403
    with app.app_context():
        assert _org("Stiekem") is None


def test_cli_creates_an_organisation_under_a_parent_and_prints_json(app, demo, runner,
                                                                    mailbox):
    result = runner.invoke(args=[
        "org", "create", "--name", "Team Techniek", "--kind", "college",
        "--parent", "roc-de-maasvallei", "--admin-email", "ben@example.nl"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["slug"] == "team-techniek" and out["parent"] == "roc-de-maasvallei"
    assert out["invitation"].startswith("http://localhost/uitnodiging/")
    assert any(out["invitation"] in m.text for m in mailbox.sent if m.to == "ben@example.nl")
    with app.app_context():
        org = _org("Team Techniek")
        assert org.parent.slug == "roc-de-maasvallei"
        assert db.session.scalar(db.select(Invitation).filter_by(
            organisation_id=org.id)).role == Role.ADMIN


def test_cli_refuses_an_unknown_parent(app, demo, runner):
    result = runner.invoke(args=["org", "create", "--name", "X", "--kind", "employer",
                                 "--parent", "bestaat-niet", "--admin-email", "a@example.nl"])
    assert result.exit_code != 0 and "bestaat-niet" in result.output


SIGNUP = {"name": "Korfbalvereniging De Eendracht", "kind": "community", "kvk": "40123456",
          "brin": "", "website": "https://eendracht.example", "city": "Oss",
          "contact_name": "Sanne Bos", "contact_email": "sanne@eendracht.example",
          "reason": "Badges voor onze jeugdtrainers."}


def _submit(client, data=SIGNUP):
    return post_form(client, "/aanmelden", data)


def test_a_club_signs_up_and_the_platform_admin_approves(app, demo, client, auth, mailbox):
    response = _submit(client)
    assert response.status_code == 200
    assert "Aanmelding ontvangen" in response.get_data(as_text=True)
    with app.app_context():
        assert _org(SIGNUP["name"]) is None  # nothing exists until approved
        row = db.session.scalar(db.select(OrganisationRequest).filter_by(name=SIGNUP["name"]))
        assert row.state == RequestState.PENDING
        request_id = row.id
    assert any(m.to == PLATFORM for m in mailbox.sent)
    assert any(m.to == "sanne@eendracht.example" for m in mailbox.sent)
    auth.login(PLATFORM)
    assert SIGNUP["name"] in client.get("/admin/").get_data(as_text=True)
    mailbox.sent.clear()
    response = post_form(client, f"/admin/requests/{request_id}/approve", {}, page="/admin/")
    assert response.status_code == 302
    with app.app_context():
        org = _org(SIGNUP["name"])
        assert org.kvk == "40123456" and org.slug == "korfbalvereniging-de-eendracht"
        invitation = db.session.scalar(db.select(Invitation).filter_by(organisation_id=org.id))
        assert invitation.email == "sanne@eendracht.example" and invitation.role == Role.ADMIN
        assert db.session.get(OrganisationRequest, request_id).state == RequestState.APPROVED
    subjects = [m.subject for m in mailbox.sent if m.to == "sanne@eendracht.example"]
    assert "Je aanmelding is goedgekeurd" in subjects
    assert any("Uitnodiging" in s for s in subjects)
    # deciding twice is refused
    response = post_form(client, f"/admin/requests/{request_id}/approve", {}, page="/admin/")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Organisation.id)).filter_by(
            name=SIGNUP["name"])) == 1


def test_the_platform_admin_declines_with_a_reason(app, demo, client, auth, mailbox):
    _submit(client)
    with app.app_context():
        request_id = db.session.scalar(db.select(OrganisationRequest.id).filter_by(
            name=SIGNUP["name"]))
    auth.login(PLATFORM)
    response = post_form(client, f"/admin/requests/{request_id}/decline",
                         {"reason": "Het KvK-nummer hoort bij een ander bedrijf."}, page="/admin/")
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(OrganisationRequest, request_id)
        assert row.state == RequestState.DECLINED and _org(SIGNUP["name"]) is None
    told = [m for m in mailbox.sent if m.to == "sanne@eendracht.example"
            and m.subject == "Je aanmelding bij Skillspas"]
    assert told and "hoort bij een ander bedrijf" in told[0].text


def test_a_signup_needs_kvk_or_brin_and_says_so_in_dutch(app, demo, client):
    response = _submit(client, {**SIGNUP, "kvk": ""})
    assert response.status_code == 422
    assert "Vul je KvK-nummer in" in response.get_data(as_text=True)
    response = _submit(client, {**SIGNUP, "kvk": "123"})
    assert response.status_code == 422
    assert "Een KvK-nummer heeft 8 cijfers." in response.get_data(as_text=True)


def test_signup_needs_csrf(app, demo, client):
    response = client.post("/aanmelden", data=SIGNUP)
    assert response.status_code in (400, 422)
    with app.app_context():
        assert db.session.scalar(db.select(OrganisationRequest.id).filter_by(
            name=SIGNUP["name"])) is None


def test_the_platform_admin_records_how_numbers_were_checked(app, demo, client, auth):
    auth.login(PLATFORM)
    with app.app_context():
        org_id = db.session.scalar(db.select(Organisation.id).filter_by(
            slug="bouwbedrijf-van-houten"))
    post_form(client, f"/admin/organisations/{org_id}/verify",
              {"note": "KvK-register bekeken op 4-12-2026"}, page="/admin/")
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        assert org.verified and org.verification_note == "KvK-register bekeken op 4-12-2026"
    assert "KvK-register bekeken" in client.get("/admin/").get_data(as_text=True)
