"""Claiming a credential from the emailed link, with or without an account."""

from __future__ import annotations

import pytest

from badges.accounts.models import User
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.kernel.tokens import hash_secret
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


def _revoke(app, uuid):
    with app.app_context():
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=uuid))
        issuing.change_state(cred, CredentialState.REVOKED, "Verkeerd uitgegeven", actor_id=None)


class TestClaimPageShowsTheBadge:
    def test_before_sign_up_the_visitor_sees_image_name_issuer_and_description(
            self, client, app, demo):
        token, _uuid = _issue_unclaimed(app)
        with app.app_context():
            cred = db.session.scalar(db.select(Credential).filter_by(
                claim_token_hash=hash_secret(token)))
            image = f"/achievements/{cred.achievement.uuid}/image"
            description = cred.achievement.description
        html = client.get(f"/claim/{token}").get_data(as_text=True)
        assert description and description in html
        assert f'src="{image}"' in html
        assert "Maasvallei College Zorg &amp; Welzijn" in html


class TestRevokedCredentialCannotBeClaimed:
    def test_page_says_it_was_revoked_and_offers_no_claim(self, client, app, auth, demo):
        token, uuid = _issue_unclaimed(app)
        _revoke(app, uuid)
        auth.login("henk@example.nl")
        response = client.get(f"/claim/{token}")
        html = response.get_data(as_text=True)
        assert response.status_code == 410
        assert "ingetrokken" in html
        assert "Zet in mijn pas" not in html

    def test_posting_the_claim_is_refused_with_a_clear_message(self, client, app, auth, demo):
        token, uuid = _issue_unclaimed(app)
        _revoke(app, uuid)
        auth.login("henk@example.nl")
        response = post_form(client, f"/claim/{token}", {}, page="/passport")
        html = response.get_data(as_text=True)
        assert response.status_code == 410
        assert "ingetrokken" in html and "Gelukt" not in html
        assert "linkedin" not in html.lower()
        assert _holder(app, uuid)[0] is None

    def test_the_service_refuses_too(self, app, demo):
        from badges.passport import claiming

        token, uuid = _issue_unclaimed(app)
        _revoke(app, uuid)
        with app.test_request_context():
            henk = db.session.scalar(db.select(User).filter_by(email="henk@example.nl"))
            with pytest.raises(claiming.ClaimError, match="ingetrokken") as raised:
                claiming.claim(token, henk)
            assert raised.value.code == "revoked"
        assert _holder(app, uuid)[0] is None
