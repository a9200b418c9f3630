"""Org admins keep their organisation's details and award limits up to date themselves."""

from __future__ import annotations

from badges.kernel.db import db
from badges.organisations.models import Organisation
from tests.conftest import post_form

EMPLOYER = "zorggroep-de-linde"  # verified in the demo, KvK 41234567
ADMIN = "opleiding@delinde.example"


def _org() -> Organisation:
    return db.session.scalar(db.select(Organisation).filter_by(slug=EMPLOYER))


def _settings(client, **changes):
    data = {"name": "Zorggroep De Linde", "short_name": "De Linde", "kvk": "41234567",
            "brin": "", "email": "opleiding@delinde.example", "city": "Oss",
            "colour": "#8b3a1f", "description": "Ouderenzorg", "website": "",
            "award_limit_hour": "", "award_limit_day": "", **changes}
    return post_form(client, f"/issuer/{EMPLOYER}/settings", data)


def test_admin_edits_name_numbers_contact_and_limits(app, demo, client, auth):
    auth.login(ADMIN)
    response = _settings(client, name="Zorggroep De Linde Oss", award_limit_hour="50",
                         award_limit_day="200")
    assert response.status_code == 302
    with app.app_context():
        org = _org()
        assert (org.name, org.short_name, org.city) == ("Zorggroep De Linde Oss", "De Linde", "Oss")
        assert (org.award_limit_hour, org.award_limit_day) == (50, 200)
        assert org.verified  # the KvK number did not change
    assert "Zorggroep De Linde Oss" in client.get(f"/issuers/{EMPLOYER}").get_data(as_text=True)


def test_a_new_kvk_number_ends_the_verification(app, demo, client, auth):
    auth.login(ADMIN)
    assert _settings(client, kvk="41234568").status_code == 302
    with app.app_context():
        org = _org()
        assert org.kvk == "41234568" and not org.verified


def test_wrong_numbers_and_limits_are_refused_in_dutch(app, demo, client, auth):
    auth.login(ADMIN)
    response = _settings(client, kvk="4123", award_limit_hour="0")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Een KvK-nummer heeft 8 cijfers." in html
    with app.app_context():
        assert _org().kvk == "41234567" and _org().award_limit_hour is None
