"""The issue form warns when the name differs from the recipient's account (#22 item 6):
otherwise one learner shows up under two surnames on the share page."""

from __future__ import annotations

from badges.catalogue.models import Achievement
from badges.issuing.models import Credential
from badges.kernel.db import db
from tests.conftest import post_form

BASE = "/issuer/maasvallei-zorg-welzijn"
TEACHER = "docent@rocdemaasvallei.example"


def _achievement_id(app) -> int:
    """One Vanessa does not hold yet (a duplicate would be its own warning)."""
    with app.app_context():
        org_id = db.session.scalar(db.text(
            "SELECT id FROM organisation WHERE slug = 'maasvallei-zorg-welzijn'"))
        held = db.select(Credential.achievement_id).filter_by(recipient_email="vanessa@example.nl")
        return db.session.scalar(db.select(Achievement.id).filter_by(
            organisation_id=org_id).where(Achievement.id.not_in(held)).order_by(Achievement.id))


def _count(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Credential.id)).filter_by(
            recipient_email=email))


def test_a_different_name_for_an_account_address_is_questioned(app, client, auth, demo):
    auth.login(TEACHER)
    before = _count(app, "vanessa@example.nl")
    data = {"achievement": _achievement_id(app), "recipient_name": "Vanessa Jansen",
            "recipient_email": "vanessa@example.nl"}
    response = post_form(client, f"{BASE}/issue", data, page=f"{BASE}/issue")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "hoort bij een Skillspas-account met een andere naam" in html
    assert 'name="name_confirmed"' in html
    assert "Vanessa de Groot" not in html  # the account's name is the learner's, not shown
    assert _count(app, "vanessa@example.nl") == before
    response = post_form(client, f"{BASE}/issue", {**data, "name_confirmed": "y"},
                         page=f"{BASE}/issue")
    assert response.status_code == 302
    assert _count(app, "vanessa@example.nl") == before + 1


def test_the_same_name_or_no_account_issues_at_once(app, client, auth, demo):
    auth.login(TEACHER)
    for name, email in (("vanessa  de groot", "vanessa@example.nl"),
                        ("Iemand Nieuw", "nieuw-naam@example.nl")):
        response = post_form(client, f"{BASE}/issue", {
            "achievement": _achievement_id(app), "recipient_name": name,
            "recipient_email": email}, page=f"{BASE}/issue")
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
