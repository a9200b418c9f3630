"""Every issuer route refuses strangers: anonymous → login, another organisation → 403."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.web.issuer.conftest import OUTSIDER, VIEWER

GET_ROUTES = [
    "/issuer/{slug}/", "/issuer/{slug}/achievements", "/issuer/{slug}/achievements/new",
    "/issuer/{slug}/achievements/{achievement}", "/issuer/{slug}/achievements/{achievement}/edit",
    "/issuer/{slug}/issue", "/issuer/{slug}/credentials",
    "/issuer/{slug}/credentials/{credential}", "/issuer/{slug}/people", "/issuer/{slug}/tokens",
    "/issuer/{slug}/audit", "/issuer/{slug}/settings", "/issuer/{slug}/endorsements",
]
POST_ROUTES = [
    "/issuer/{slug}/achievements/new", "/issuer/{slug}/achievements/{achievement}/edit",
    "/issuer/{slug}/achievements/{achievement}/archive", "/issuer/{slug}/issue",
    "/issuer/{slug}/credentials/{credential}/state",
    "/issuer/{slug}/credentials/{credential}/revoke",
    "/issuer/{slug}/credentials/{credential}/reissue",
    "/issuer/{slug}/credentials/{credential}/claim-link", "/issuer/{slug}/people",
    "/issuer/{slug}/people/{user_id}/role", "/issuer/{slug}/people/{user_id}/remove",
    "/issuer/{slug}/tokens", "/issuer/{slug}/tokens/{token_id}/revoke",
    "/issuer/{slug}/settings", "/issuer/{slug}/endorsements",
    "/issuer/{slug}/endorsements/{endorsement}/revoke",
]
# What a hostile POST would try; valid enough to do harm if the role check were missing.
HARMFUL = {"state": "revoked", "reason": "x", "role": "viewer", "name": "x",
           "email": "evil@example.nl", "recipient_email": "evil@example.nl",
           "recipient_name": "x", "colour": "#000000", "comment": "x", "kind": "module",
           "description": "x", "confirmed": "1"}


class TestAnonymous:
    @pytest.mark.parametrize("route", [*GET_ROUTES, "/issuer/"])
    def test_get_redirects_to_login(self, client, world, route):
        response = client.get(route.format(**world))
        assert response.status_code == 302 and "/login" in response.headers["Location"]

    @pytest.mark.parametrize("route", POST_ROUTES)
    def test_post_redirects_to_login(self, client, world, route):
        data = {**HARMFUL, "csrf_token": csrf_token(client, "/login")}
        response = client.post(route.format(**world), data=data)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


class TestOtherOrganisation:
    @pytest.mark.parametrize("route", GET_ROUTES)
    def test_get_is_forbidden(self, client, auth, world, route):
        auth.login(OUTSIDER)
        assert client.get(route.format(**world)).status_code == 403

    @pytest.mark.parametrize("route", POST_ROUTES)
    def test_post_is_forbidden_and_changes_nothing(self, client, auth, world, route):
        auth.login(OUTSIDER)
        data = {**HARMFUL, "csrf_token": csrf_token(client, "/")}
        assert client.post(route.format(**world), data=data).status_code == 403
        from badges.issuing.models import Credential, CredentialState
        from badges.kernel.db import db

        with client.application.app_context():
            cred = db.session.scalar(db.select(Credential).filter_by(uuid=world["credential"]))
            assert cred.state == CredentialState.ACTIVE

    def test_own_org_cannot_reach_foreign_credential_by_uuid(self, client, auth, world):
        auth.login(OUTSIDER)
        url = f"/issuer/vakcollege-techniek-brabant/credentials/{world['credential']}"
        assert client.get(url).status_code == 404
        url = f"/issuer/vakcollege-techniek-brabant/achievements/{world['achievement']}/edit"
        assert client.get(url).status_code == 404


class TestViewer:
    @pytest.mark.parametrize("route", [
        "/issuer/{slug}/", "/issuer/{slug}/achievements", "/issuer/{slug}/credentials",
        "/issuer/{slug}/credentials/{credential}", "/issuer/{slug}/endorsements"])
    def test_viewer_reads(self, client, auth, world, route):
        auth.login(VIEWER)
        assert client.get(route.format(**world)).status_code == 200

    @pytest.mark.parametrize("route", [
        "/issuer/{slug}/issue", "/issuer/{slug}/achievements/new",
        "/issuer/{slug}/credentials/{credential}/state", "/issuer/{slug}/people",
        "/issuer/{slug}/endorsements"])
    def test_viewer_cannot_issue_or_manage(self, client, auth, world, route):
        auth.login(VIEWER)
        data = {**HARMFUL, "achievement": world["achievement_id"],
                "csrf_token": csrf_token(client, "/")}
        assert client.post(route.format(**world), data=data).status_code == 403

    def test_viewer_sees_no_issue_button(self, client, auth, world):
        auth.login(VIEWER)
        html = client.get(f"/issuer/{world['slug']}/").get_data(as_text=True)
        assert f'/issuer/{world["slug"]}/issue"' not in html
        assert f'/issuer/{world["slug"]}/people"' not in html
