"""Org admins keep their organisation's details and award limits up to date themselves."""

from __future__ import annotations

import io

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
    return post_form(client, f"/issuer/{EMPLOYER}/settings", data,
                     content_type="multipart/form-data")


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


def _png(side: int = 64) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (side, side), "#8b3a1f").save(out, "PNG")
    return out.getvalue()


def test_a_logo_is_checked_and_shown_on_the_profile_and_in_new_credentials(app, demo, client,
                                                                            auth):
    auth.login(ADMIN)
    assert client.get(f"/issuers/{EMPLOYER}/logo").status_code == 404
    response = _settings(client, logo=(io.BytesIO(_png()), "logo.png"))
    assert response.status_code == 302
    logo = client.get(f"/issuers/{EMPLOYER}/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert logo.data == _png()
    assert f"/issuers/{EMPLOYER}/logo" in client.get(f"/issuers/{EMPLOYER}").get_data(
        as_text=True)
    with app.test_request_context():
        from badges.catalogue.models import Achievement
        from badges.issuing import services as issuing

        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=_org().id).limit(1))
        document = issuing.issue(_org(), issuing.IssueRequest(
            achievement=achievement, recipient_email="logo@example.nl")).credential.document
        assert document["issuer"]["image"]["id"] == f"http://localhost/issuers/{EMPLOYER}/logo"


def test_an_svg_logo_that_runs_script_is_refused(app, demo, client, auth):
    auth.login(ADMIN)
    evil = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    response = _settings(client, logo=(io.BytesIO(evil), "logo.svg"))
    assert response.status_code == 422
    assert "script-attribuut" in response.get_data(as_text=True)
    with app.app_context():
        assert _org().logo is None
    # a harmless SVG is served with a CSP that forbids script
    ok = b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" ' \
         b'height="64" fill="#8b3a1f"/></svg>'
    assert _settings(client, logo=(io.BytesIO(ok), "logo.svg")).status_code == 302
    served = client.get(f"/issuers/{EMPLOYER}/logo")
    assert served.mimetype == "image/svg+xml"
    assert served.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert _settings(client, remove_logo="y").status_code == 302
    assert client.get(f"/issuers/{EMPLOYER}/logo").status_code == 404
