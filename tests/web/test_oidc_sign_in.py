"""Sign in with OpenID Connect against a real provider (tests/oidc_provider, loopback), over HTTP.

The browser journey is in tests/browser/test_oidc_sign_in.py; these tests cover the
rules: what a callback must carry, when a passport is made or linked, the sign-in
methods on the account page, and every role's start page after signing in.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from flask import Flask

from badges import create_app
from badges.accounts.models import LinkedIdentity, User
from badges.kernel.db import db
from tests.conftest import csrf_token, post_form
from tests.oidc_op import OpenIDProvider, running_provider

CALLBACK = "http://localhost/auth/oidc/eduid/callback"
SURF_CALLBACK = "http://localhost/auth/oidc/surfconext/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[OpenIDProvider]:
    with running_provider([CALLBACK, SURF_CALLBACK]) as op:
        yield op


@pytest.fixture(scope="module")
def oidc_app(app: Flask, app_config: dict, provider: OpenIDProvider) -> Flask:
    """The test app's database, with eduID configured (the shared ``app`` has no providers)."""
    return create_app({**app_config, "OIDC_PROVIDERS": {
        "eduid": provider.config("eduID"), "surfconext": provider.config("SURFconext")}})


@pytest.fixture
def client(oidc_app: Flask):
    return oidc_app.test_client()


def _start(client) -> str:
    response = client.get("/auth/oidc/eduid/login")
    assert response.status_code == 302
    return response.location


def _sign_in(client, provider: OpenIDProvider, sub: str, email: str = "", **kw):
    callback = provider.sign_in(_start(client), sub, email, **kw)
    assert callback.startswith(CALLBACK)
    return client.get(callback)


def _user(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=email))


class TestRequest:
    def test_sends_state_nonce_and_pkce(self, client, provider):
        query = parse_qs(urlsplit(_start(client)).query)
        assert query["client_id"] == ["skillspas-test"]
        assert query["redirect_uri"] == [CALLBACK]
        assert query["response_type"] == ["code"]
        assert "openid" in query["scope"][0].split()
        assert query["state"][0] and query["nonce"][0]
        assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43

    def test_unknown_provider_is_404(self, client):
        assert client.get("/auth/oidc/nope/login").status_code == 404
        assert client.get("/auth/oidc/nope/callback").status_code == 404

    def test_login_page_has_a_button_per_provider(self, client):
        html = client.get("/login").get_data(as_text=True)
        assert 'href="/auth/oidc/eduid/login"' in html and "Inloggen met eduID" in html
        assert 'href="/auth/oidc/surfconext/login"' in html and "Inloggen met SURFconext" in html


class TestDemoTeacher:
    def test_signs_in_with_the_institution_and_lands_in_the_workspace(self, client, provider,
                                                                      demo):
        start = client.get("/auth/oidc/surfconext/login")
        callback = provider.sign_in(start.location, "docent-maasvallei",
                                    "docent@rocdemaasvallei.example", schac="rocdemaasvallei.example")
        assert callback.startswith(SURF_CALLBACK)
        response = client.get(callback)
        assert response.status_code == 302 and response.location == "/issuer/"
        assert "Mark Verhoeven" in client.get("/account").get_data(as_text=True)


class TestFirstSignIn:
    def test_new_passport_with_the_verified_email(self, client, provider, oidc_app):
        response = _sign_in(client, provider, "sub-new-1", "Nieuw.Lid@Example.org", name="Nieuw Lid")
        assert response.status_code == 302 and response.location == "/auth/oidc/welcome"
        html = client.get("/auth/oidc/welcome").get_data(as_text=True)
        assert "nieuw.lid@example.org" in html and "Nieuwe pas maken" in html
        response = post_form(client, "/auth/oidc/welcome/new", {"name": "Nieuw Lid"},
                             page="/auth/oidc/welcome")
        assert response.status_code == 302 and response.location == "/passport/"
        with oidc_app.app_context():
            user = _user("nieuw.lid@example.org")
            assert user is not None and user.password_hash is None and user.email_confirmed
            assert [(i.provider, i.subject) for i in user.identities] == [("eduid", "sub-new-1")]
        # Signed in: the passport is there, and next time the identity signs in at once.
        assert client.get("/passport").status_code == 200
        post_form(client, "/logout", {}, page="/account")
        response = _sign_in(client, provider, "sub-new-1", "nieuw.lid@example.org")
        assert response.status_code == 302 and response.location == "/passport/"

    def test_unverified_email_makes_no_passport(self, client, provider, oidc_app):
        response = _sign_in(client, provider, "sub-unverified", "nog.niet@example.org",
                            verified=False)
        assert response.location == "/auth/oidc/welcome"
        html = client.get("/auth/oidc/welcome").get_data(as_text=True)
        assert "heeft niet bevestigd" in html and "Nieuwe pas maken" not in html
        response = post_form(client, "/auth/oidc/welcome/new", {"name": "X"},
                             page="/auth/oidc/welcome")
        assert response.status_code == 422
        with oidc_app.app_context():
            assert _user("nog.niet@example.org") is None

    def test_email_of_an_existing_passport_is_not_taken_over(self, client, provider, oidc_app,
                                                             demo):
        _sign_in(client, provider, "sub-vanessa-claim", "vanessa@example.nl")
        html = client.get("/auth/oidc/welcome").get_data(as_text=True)
        assert "Er is al een pas met het e-mailadres vanessa@example.nl" in html
        response = post_form(client, "/auth/oidc/welcome/new", {"name": "Niet Vanessa"},
                             page="/auth/oidc/welcome")
        assert response.status_code == 422
        assert client.get("/account").status_code == 302  # not signed in

    def test_link_to_an_existing_passport_with_its_password(self, client, provider, oidc_app,
                                                            demo):
        _sign_in(client, provider, "sub-henk", "henk.prive@example.org")
        wrong = post_form(client, "/auth/oidc/welcome/link",
                          {"email": "henk@example.nl", "password": "wrong-password"},
                          page="/auth/oidc/welcome")
        assert wrong.status_code == 422
        response = post_form(client, "/auth/oidc/welcome/link",
                             {"email": "henk@example.nl", "password": "skillspas-demo"},
                             page="/auth/oidc/welcome")
        assert response.status_code == 302 and response.location == "/passport/"
        with oidc_app.app_context():
            henk = _user("henk@example.nl")
            assert [i.subject for i in henk.identities] == ["sub-henk"]
        post_form(client, "/logout", {}, page="/account")
        assert _sign_in(client, provider, "sub-henk", "henk.prive@example.org").location == \
            "/passport/"
        assert "Henk" in client.get("/account").get_data(as_text=True)

    def test_welcome_needs_a_pending_sign_in(self, client):
        response = client.get("/auth/oidc/welcome")
        assert response.status_code == 302 and response.location == "/login"


class TestRefusedCallbacks:
    def test_denied_at_the_provider(self, client, provider):
        response = _sign_in(client, provider, "sub-deny", deny=True)
        assert response.status_code == 400
        assert "afgebroken" in response.get_data(as_text=True)
        assert client.get("/account").status_code == 302

    def test_wrong_state(self, client, provider):
        callback = provider.sign_in(_start(client), "sub-state", "state@example.org")
        parts = urlsplit(callback)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query["state"] = "not-the-state-we-sent"
        response = client.get(urlunsplit(parts._replace(query=urlencode(query))))
        assert response.status_code == 400
        assert "hoort niet bij een inlogpoging" in response.get_data(as_text=True)
        assert client.get("/auth/oidc/welcome").status_code == 302  # nothing pending

    def test_callback_from_another_browser(self, client, oidc_app, provider):
        callback = provider.sign_in(_start(client), "sub-other", "other@example.org")
        response = oidc_app.test_client().get(callback)  # no session: no state of ours
        assert response.status_code == 400

    def test_wrong_nonce(self, client, provider):
        response = _sign_in(client, provider, "sub-nonce", "nonce@example.org", tamper_nonce=True)
        assert response.status_code == 400
        assert "niet controleren" in response.get_data(as_text=True)
        assert client.get("/auth/oidc/welcome").status_code == 302

    def test_in_english(self, client, provider):
        client.get("/?lang=en")
        response = _sign_in(client, provider, "sub-deny-en", deny=True)
        assert response.status_code == 400
        assert "You are not signed in" in response.get_data(as_text=True)


class TestSignInMethods:
    def test_link_from_the_account_page_and_remove_methods(self, client, provider, oidc_app,
                                                           demo):
        post_form(client, "/login", {"email": "vanessa@example.nl", "password": "skillspas-demo"})
        html = client.get("/account").get_data(as_text=True)
        assert "Met je e-mailadres en wachtwoord" in html
        assert "Wachtwoord verwijderen" not in html  # the only way in
        assert 'href="/auth/oidc/eduid/login?link=1"' in html
        start = client.get("/auth/oidc/eduid/login?link=1")
        callback = provider.sign_in(start.location, "sub-vanessa", "vanessa@example.nl")
        response = client.get(callback)
        assert response.status_code == 302 and response.location == "/account"
        html = client.get("/account").get_data(as_text=True)
        assert "Met eduID (vanessa@example.nl)" in html
        with oidc_app.app_context():
            identity_id = db.session.scalar(
                db.select(LinkedIdentity.id).filter_by(subject="sub-vanessa"))
        # Remove the password: eduID remains, and then eduID is the last way in.
        post_form(client, "/account/password/remove", {}, page="/account")
        with oidc_app.app_context():
            assert _user("vanessa@example.nl").password_hash is None
        html = client.get("/account").get_data(as_text=True)
        assert "Niet meer inloggen met eduID" not in html
        response = post_form(client, f"/account/sign-in/{identity_id}/remove", {}, page="/account",
                             follow_redirects=True)
        assert "enige manier om in te loggen" in response.get_data(as_text=True)
        with oidc_app.app_context():
            assert db.session.get(LinkedIdentity, identity_id) is not None

    def test_cannot_remove_someone_elses_identity(self, client, provider, oidc_app, demo):
        _sign_in(client, provider, "sub-not-yours", "henk.x@example.org")
        post_form(client, "/auth/oidc/welcome/link",
                  {"email": "henk@example.nl", "password": "skillspas-demo"},
                  page="/auth/oidc/welcome")
        with oidc_app.app_context():
            identity_id = db.session.scalar(
                db.select(LinkedIdentity.id).filter_by(subject="sub-not-yours"))
        other = oidc_app.test_client()
        post_form(other, "/login", {"email": "vanessa@example.nl", "password": "skillspas-demo"})
        token = csrf_token(other, "/account")
        other.post(f"/account/sign-in/{identity_id}/remove", data={"csrf_token": token})
        with oidc_app.app_context():
            assert db.session.get(LinkedIdentity, identity_id) is not None

    def test_removing_needs_csrf(self, client, demo):
        post_form(client, "/login", {"email": "vanessa@example.nl", "password": "skillspas-demo"})
        assert client.post("/account/password/remove").status_code == 400


class TestStartPages:
    @pytest.mark.parametrize(("email", "start"), [
        ("vanessa@example.nl", "/passport/"),
        ("docent@rocdemaasvallei.example", "/issuer/"),
        ("beheer@skillspas.example", "/admin/"),
        ("adviseur@oss.example", "/adviseur"),
    ])
    def test_each_role_lands_on_its_own_page(self, client, demo, email, start):
        response = post_form(client, "/login", {"email": email, "password": "skillspas-demo"})
        assert response.status_code == 302 and response.location == start

    def test_next_still_wins(self, client, demo):
        response = post_form(client, "/login?next=/verify",
                             {"email": "vanessa@example.nl", "password": "skillspas-demo"},
                             page="/login")
        assert response.location == "/verify"


class TestMembershipRules:
    """Staff join an organisation by signing in only through a rule a platform admin approved."""

    SLUG = "maasvallei-zorg-welzijn"

    def _propose(self, client, kind: str, value: str, role: str = "issuer"):
        post_form(client, "/login", {"email": "beheer@rocdemaasvallei.example",
                                     "password": "skillspas-demo"})
        response = post_form(client, f"/issuer/{self.SLUG}/sign-in-rules",
                             {"kind": kind, "value": value, "role": role})
        post_form(client, "/logout", {}, page="/account")
        return response

    def _approve_all(self, client, oidc_app):
        from badges.organisations.models import MembershipRule

        post_form(client, "/login", {"email": "beheer@skillspas.example",
                                     "password": "skillspas-demo"})
        with oidc_app.app_context():
            ids = db.session.scalars(db.select(MembershipRule.id)).all()
        for rule_id in ids:
            response = post_form(client, f"/admin/sign-in-rules/{rule_id}/approve", {},
                                 page="/admin/sign-in-rules")
            assert response.status_code == 302
        post_form(client, "/logout", {}, page="/account")

    def _roles(self, oidc_app, email: str) -> list[str]:
        from badges.organisations.models import Membership

        with oidc_app.app_context():
            user = _user(email)
            return [m.role.value for m in db.session.scalars(
                db.select(Membership).filter_by(user_id=user.id))] if user else []

    def test_email_domain_rule_works_only_once_approved(self, client, provider, oidc_app, demo):
        assert self._propose(client, "email_domain", "@Zorg.Maasvallei.example").status_code == 302
        start = client.get("/auth/oidc/surfconext/login")
        client.get(provider.sign_in(start.location, "surf-1", "an@zorg.maasvallei.example"))
        post_form(client, "/auth/oidc/welcome/new", {"name": "An"}, page="/auth/oidc/welcome")
        assert self._roles(oidc_app, "an@zorg.maasvallei.example") == []  # not approved yet
        post_form(client, "/logout", {}, page="/account")

        self._approve_all(client, oidc_app)
        start = client.get("/auth/oidc/surfconext/login")
        response = client.get(provider.sign_in(start.location, "surf-1",
                                               "an@zorg.maasvallei.example"))
        assert response.location == "/issuer/"
        assert self._roles(oidc_app, "an@zorg.maasvallei.example") == ["issuer"]

    def test_unverified_email_and_unknown_institution_give_nothing(self, client, provider,
                                                                   oidc_app, demo):
        self._propose(client, "email_domain", "zorg.maasvallei.example")
        self._approve_all(client, oidc_app)
        start = client.get("/auth/oidc/surfconext/login")
        client.get(provider.sign_in(start.location, "surf-2", "bo@zorg.maasvallei.example",
                                    verified=False, schac="elders.example"))
        post_form(client, "/auth/oidc/welcome/link",
                  {"email": "ben@example.nl", "password": "skillspas-demo"},
                  page="/auth/oidc/welcome")
        assert self._roles(oidc_app, "ben@example.nl") == []

    def test_home_organisation_rule(self, client, provider, oidc_app, demo):
        self._propose(client, "schac_home_organization", "rocdemaasvallei.example", role="viewer")
        self._approve_all(client, oidc_app)
        start = client.get("/auth/oidc/surfconext/login")
        client.get(provider.sign_in(start.location, "surf-3", "cas@prive.example",
                                    schac="rocdemaasvallei.example"))
        response = post_form(client, "/auth/oidc/welcome/new", {"name": "Cas"},
                             page="/auth/oidc/welcome")
        assert response.location == "/issuer/"
        assert self._roles(oidc_app, "cas@prive.example") == ["viewer"]

    def test_a_rule_never_gives_the_admin_role(self, client, demo):
        response = self._propose(client, "email_domain", "zorg.maasvallei.example", role="admin")
        assert response.status_code == 422

    def test_only_the_platform_admin_approves(self, client, oidc_app, demo):
        from badges.organisations.models import MembershipRule

        self._propose(client, "email_domain", "zorg.maasvallei.example")
        with oidc_app.app_context():
            rule_id = db.session.scalar(db.select(MembershipRule.id))
        post_form(client, "/login", {"email": "beheer@rocdemaasvallei.example",
                                     "password": "skillspas-demo"})
        token = csrf_token(client, f"/issuer/{self.SLUG}/sign-in-rules")
        response = client.post(f"/admin/sign-in-rules/{rule_id}/approve",
                               data={"csrf_token": token})
        assert response.status_code == 403
        with oidc_app.app_context():
            assert db.session.get(MembershipRule, rule_id).approved_at is None


class TestLinkByMail:
    """A passport without a password is proven by a link mailed to its address, opened in the
    browser that signed in at the provider."""

    @pytest.fixture
    def mailbox(self, oidc_app):
        from badges.kernel.mail import LogMailer

        mailer = LogMailer()
        oidc_app.extensions["badges.mailer"] = mailer
        yield mailer
        oidc_app.extensions.pop("badges.mailer", None)

    def test_link_from_the_mail_in_the_same_browser(self, client, provider, oidc_app, mailbox):
        import re

        from badges.kernel.models import utcnow

        with oidc_app.app_context():
            db.session.add(User(email="geen.ww@example.org", name="Geen Wachtwoord",
                                password_hash=None, email_confirmed_at=utcnow()))
            db.session.commit()
        _sign_in(client, provider, "sub-mail", "ander@example.org", verified=False)
        response = post_form(client, "/auth/oidc/welcome/mail",
                             {"mail_email": "geen.ww@example.org"}, page="/auth/oidc/welcome")
        assert response.status_code == 302
        [mail] = mailbox.sent
        assert mail.to == "geen.ww@example.org"
        link = re.search(r"http://localhost(/auth/oidc/link/\S+)", mail.text).group(1)

        # Opened in another browser (even one with a sign-in of its own waiting): refused.
        stranger = oidc_app.test_client()
        _sign_in(stranger, provider, "sub-stranger", "stranger@example.org")
        assert stranger.get(link).location == "/auth/oidc/welcome"
        assert post_form(stranger, link, {}, page="/auth/oidc/welcome").status_code == 302
        with oidc_app.app_context():
            assert find_identity("sub-stranger") is None

        page = client.get(link)
        assert page.status_code == 200 and "geen.ww@example.org" in page.get_data(as_text=True)
        response = post_form(client, link, {})
        assert response.status_code == 302 and response.location == "/passport/"
        with oidc_app.app_context():
            assert find_identity("sub-mail").user.email == "geen.ww@example.org"

    def test_same_answer_for_an_unknown_address(self, client, provider, mailbox):
        _sign_in(client, provider, "sub-mail-unknown", "x@example.org")
        response = post_form(client, "/auth/oidc/welcome/mail",
                             {"mail_email": "niemand@example.org"}, page="/auth/oidc/welcome",
                             follow_redirects=True)
        assert "Als er een pas bij dit e-mailadres hoort" in response.get_data(as_text=True)
        assert mailbox.sent == []


def find_identity(subject: str) -> LinkedIdentity | None:
    return db.session.scalar(db.select(LinkedIdentity).filter_by(subject=subject))


def test_a_closed_account_cannot_sign_in_with_its_identity(client, provider, oidc_app, demo):
    _sign_in(client, provider, "sub-closed", "closed@example.org")
    post_form(client, "/auth/oidc/welcome/link",
              {"email": "prucha@example.nl", "password": "skillspas-demo"},
              page="/auth/oidc/welcome")
    post_form(client, "/logout", {}, page="/account")
    with oidc_app.app_context():
        _user("prucha@example.nl").active = False
        db.session.commit()
    response = _sign_in(client, provider, "sub-closed", "closed@example.org")
    assert response.status_code == 403
    assert "kan niet meer inloggen" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302
