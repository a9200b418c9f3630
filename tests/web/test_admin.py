"""Who may see and use the platform admin page."""

from __future__ import annotations

import pytest

from badges.kernel.db import db
from badges.organisations.models import Organisation
from tests.conftest import post_form


@pytest.mark.parametrize("email,expected", [
    (None, 302),  # anonymous → login
    ("vanessa@example.nl", 403),  # learner
    ("beheer@rocdemaasvallei.example", 403),  # organisation admin
    ("beheer@skillspas.example", 200),  # platform admin
])
def test_admin_page_access(demo, client, auth, email, expected):
    if email:
        auth.login(email)
    assert client.get("/admin/").status_code == expected


def test_platform_admin_marks_organisation_verified(demo, app, client, auth):
    auth.login("beheer@skillspas.example")
    with app.app_context():
        org = db.session.scalar(db.select(Organisation).filter_by(slug="bouwbedrijf-van-houten"))
        assert not org.verified
        org_id = org.id
    response = post_form(client, f"/admin/organisations/{org_id}/verify", {}, page="/admin/")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, org_id).verified
    page = client.get("/issuers/bouwbedrijf-van-houten").get_data(as_text=True)
    assert "Geverifieerd door Skillspas" in page


def test_org_admin_cannot_verify(demo, app, client, auth):
    auth.login("beheer@rocdemaasvallei.example")
    with app.app_context():
        org_id = db.session.scalar(db.select(Organisation.id).filter_by(slug="sv-osc-28"))
    response = post_form(client, f"/admin/organisations/{org_id}/verify", {}, page="/login")
    assert response.status_code == 403


def test_verifying_an_unknown_organisation_is_not_found(demo, client, auth):
    auth.login("beheer@skillspas.example")
    response = post_form(client, "/admin/organisations/999999/verify", {}, page="/admin/")
    assert response.status_code == 404
    assert "Deze organisatie bestaat niet." in response.get_data(as_text=True)
