"""Claiming a credential from the emailed link, with or without an account."""

from __future__ import annotations

from badges.issuing.models import Credential
from badges.kernel.extensions import db
from tests.conftest import post_form
from tests.web.passport.conftest import issue


def _issue_unclaimed(app, email="nieuw@example.nl"):
    with app.app_context():
        issued = issue(email)
        return issued.claim_token, issued.credential.uuid


def _holder(app, uuid):
    with app.app_context():
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
        return (cred.recipient.email if cred.recipient else None), cred.claim_token_hash


class TestClaim:
    def test_anonymous_visitor_is_offered_login_or_account(self, client, app, demo):
        token, _uuid = _issue_unclaimed(app)
        html = client.get(f"/claim/{token}").get_data(as_text=True)
        assert "Zorg voor mensen met dementie" in html
        assert f"/register?next=/claim/{token}" in html
        assert f"/login?next=/claim/{token}" in html

    def test_new_account_comes_back_and_claims(self, client, app, demo):
        token, uuid = _issue_unclaimed(app)
        response = post_form(client, f"/register?next=/claim/{token}", {
            "name": "Nieuwe Lerende", "email": "ander-adres@example.nl",
            "password": "een-goed-wachtwoord", "password2": "een-goed-wachtwoord"})
        # Registering no longer logs in (a taken address gets the same answer): log in next.
        assert response.status_code == 302 and "/login?next=" in response.location
        response = post_form(client, response.location, {
            "email": "ander-adres@example.nl", "password": "een-goed-wachtwoord"}, page="/login")
        assert response.location.endswith(f"/claim/{token}")
        response = post_form(client, f"/claim/{token}", {})
        assert response.status_code == 302 and f"/passport/c/{uuid}" in response.location
        email, token_hash = _holder(app, uuid)
        assert email == "ander-adres@example.nl" and token_hash is None
        assert "Zorg voor mensen met dementie" in client.get("/passport").get_data(as_text=True)

    def test_existing_account_logs_in_and_claims(self, client, app, auth, demo):
        token, uuid = _issue_unclaimed(app)
        response = post_form(client, f"/login?next=/claim/{token}",
                             {"email": "henk@example.nl", "password": "skillspas-demo"},
                             page="/login")
        assert response.location.endswith(f"/claim/{token}")
        post_form(client, f"/claim/{token}", {})
        assert _holder(app, uuid)[0] == "henk@example.nl"

    def test_token_works_once(self, client, app, auth, demo):
        token, uuid = _issue_unclaimed(app)
        auth.login("henk@example.nl")
        post_form(client, f"/claim/{token}", {})
        auth.logout()
        auth.login("ben@example.nl")
        response = client.get(f"/claim/{token}")
        assert response.status_code == 404
        assert "werkt niet (meer)" in response.get_data(as_text=True)
        assert _holder(app, uuid)[0] == "henk@example.nl"

    def test_unknown_token(self, client, demo):
        response = client.get("/claim/bestaat-niet")
        assert response.status_code == 404
        assert "werkt niet (meer)" in response.get_data(as_text=True)

    def test_get_alone_does_not_claim(self, client, app, auth, demo):
        token, uuid = _issue_unclaimed(app)
        auth.login("henk@example.nl")
        client.get(f"/claim/{token}")
        assert _holder(app, uuid)[0] is None
