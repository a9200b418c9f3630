"""Organisation admin pages: people (add, invite, role, remove), tokens, audit, settings."""

from __future__ import annotations

import re

from badges.accounts.models import User
from badges.kernel.db import db
from badges.organisations.api_tokens import find_api_token
from badges.organisations.models import ApiToken, Membership, Organisation, Role
from tests.conftest import post_form
from tests.web.issuer.conftest import ADMIN, COLLEGE, TEACHER

BASE = f"/issuer/{COLLEGE}"


def membership(app, email):
    with app.app_context():
        return db.session.scalar(db.select(Membership).join(User).where(
            User.email == email, Membership.organisation.has(slug=COLLEGE)))


class TestPeople:
    def test_adding_someone_is_an_invitation_not_a_membership(self, app, client, auth, demo,
                                                               mailbox):
        """Adding an existing account used to attach it at once (see tests/web/ownership)."""
        auth.login(ADMIN)
        response = post_form(client, f"{BASE}/people", {"email": "Henk@example.nl",
                                                        "role": "viewer"})
        assert response.status_code == 302
        assert membership(app, "henk@example.nl") is None
        assert mailbox.sent[0].to == "henk@example.nl"
        assert "/uitnodiging/" in mailbox.sent[0].text

    def test_name_is_optional(self, app, client, auth, demo, mailbox):
        """Asking a name only for addresses without an account told the admin which had one."""
        auth.login(ADMIN)
        response = post_form(client, f"{BASE}/people", {"email": "x@new.example",
                                                        "role": "viewer"})
        assert response.status_code == 302
        with app.app_context():
            assert db.session.scalar(db.select(User).filter_by(email="x@new.example")) is None

    def test_change_role_and_remove(self, app, client, auth, demo):
        auth.login(ADMIN)
        teacher = membership(app, TEACHER)
        post_form(client, f"{BASE}/people/{teacher.user_id}/role", {"role": "viewer"},
                  page=f"{BASE}/people")
        assert membership(app, TEACHER).role == Role.VIEWER
        post_form(client, f"{BASE}/people/{teacher.user_id}/remove", {"confirmed": "1"})
        assert membership(app, TEACHER) is None

    def test_last_admin_cannot_leave_or_be_demoted(self, app, client, auth, demo):
        auth.login(ADMIN)
        me = membership(app, ADMIN)
        post_form(client, f"{BASE}/people/{me.user_id}/role", {"role": "issuer"},
                  page=f"{BASE}/people")
        post_form(client, f"{BASE}/people/{me.user_id}/remove", {"confirmed": "1"})
        assert membership(app, ADMIN).role == Role.ADMIN

    def test_issuer_cannot_manage_people(self, client, auth, demo):
        auth.login(TEACHER)
        assert client.get(f"{BASE}/people").status_code == 403
        assert client.get(f"{BASE}/audit").status_code == 403


class TestTokens:
    def test_create_shows_once_then_revoke(self, app, client, auth, demo):
        auth.login(ADMIN)
        html = post_form(client, f"{BASE}/tokens", {"name": "Eduarte", "scopes": ["issue"]}).get_data(as_text=True)
        token = re.search(r'value="(sp_[\w-]+)"', html).group(1)
        with app.app_context():
            assert find_api_token(token) is not None
            row = db.session.scalar(db.select(ApiToken).filter_by(name="Eduarte"))
        assert token not in client.get(f"{BASE}/tokens").get_data(as_text=True)
        post_form(client, f"{BASE}/tokens/{row.id}/revoke", {"confirmed": "1"})
        with app.app_context():
            assert find_api_token(token) is None


class TestAuditAndSettings:
    def test_audit_log_records_and_filters(self, client, auth, demo):
        auth.login(ADMIN)
        post_form(client, f"{BASE}/tokens", {"name": "Koppeling", "scopes": ["read"]})
        post_form(client, f"{BASE}/people", {"email": "ben@example.nl", "role": "viewer"})
        html = client.get(f"{BASE}/audit").get_data(as_text=True)
        assert "API-sleutel gemaakt</span></td>" in html and "Uitnodiging verstuurd</span></td>" in html
        html = client.get(f"{BASE}/audit?action=member.invite").get_data(as_text=True)
        assert "API-sleutel gemaakt</span></td>" not in html and "Uitnodiging verstuurd</span></td>" in html

    def test_settings(self, app, client, auth, demo):
        auth.login(ADMIN)
        response = post_form(client, f"{BASE}/settings", {
            "name": "Maasvallei Zorg & Welzijn", "colour": "#884400",
            "description": "Zorgopleidingen", "website": "https://x.nl"})
        assert response.status_code == 302
        with app.app_context():
            org = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
            assert org.colour == "#884400"
        response = post_form(client, f"{BASE}/settings", {"colour": "rood", "description": ""})
        assert response.status_code == 422


class TestEndorsementPages:
    def test_admin_endorses_other_orgs_achievement(self, app, client, auth, demo):
        from badges.catalogue.models import Achievement

        auth.login("opleiding@delinde.example")
        with app.app_context():
            target = db.session.scalar(db.select(Achievement).join(Achievement.organisation)
                                       .filter_by(slug=COLLEGE).limit(1))
        url = "/issuer/zorggroep-de-linde/endorsements"
        response = post_form(client, url, {"achievement": target.id, "comment": "Top"})
        assert response.status_code == 302
        assert "Zorggroep De Linde" in client.get(f"/achievements/{target.uuid}").get_data(
            as_text=True)
        auth.logout()
        auth.login(ADMIN)
        html = client.get(f"{BASE}/endorsements").get_data(as_text=True)
        assert "Zorggroep De Linde" in html and "Top" in html
