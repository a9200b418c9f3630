"""Share links: create, open without login, revoke, expire, privacy, downloads."""

from __future__ import annotations

import re
from datetime import timedelta

from badges.credentials import baking
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.passport.models import ShareLink, ShareView
from badges.verification.services import verify_upload
from tests.conftest import post_form

TOKEN_RE = re.compile(r"/s/([A-Za-z0-9_-]{32})")


def _create(client, uuids, title="Sollicitatie De Linde", expires_on=""):
    data = {"credentials": [f"c-{u}" for u in uuids], "title": title, "expires_on": expires_on}
    response = post_form(client, "/passport/share/new", data, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response, TOKEN_RE.search(response.get_data(as_text=True)).group(1)


def _link(app, token) -> ShareLink:
    with app.app_context():
        return db.session.scalar(db.select(ShareLink).filter_by(token=token))


class TestShareLink:
    def test_public_page_shows_exactly_the_chosen_credentials_verified(self, app, client,
                                                                       auth, vanessa):
        auth.login("vanessa@example.nl")
        page, token = _create(client, vanessa[:2])
        html = page.get_data(as_text=True)
        assert "<svg" in html and "QR-code downloaden" in html
        auth.logout()
        public = client.get(f"/s/{token}")
        assert public.status_code == 200
        body = public.get_data(as_text=True)
        assert body.count("Echt en geldig") == 2
        assert "Basiszorg" in body and "Hygiëne en veiligheid" in body
        assert "Zorg voor mensen met dementie" not in body
        assert "Vanessa de Groot" in body
        assert "vanessa@example.nl" not in body  # nothing else about the learner
        assert f"/verify?credential={vanessa[0]}" in body
        assert public.headers["Referrer-Policy"] == "no-referrer"
        assert "noindex" in public.headers["X-Robots-Tag"]

    def test_views_are_logged_without_personal_data(self, app, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        _page, token = _create(client, vanessa[:1])
        auth.logout()
        client.get(f"/s/{token}")
        client.get(f"/s/{token}")
        link = _link(app, token)
        assert link.view_count == 2 and link.last_viewed_at is not None
        with app.app_context():
            views = db.session.scalars(db.select(ShareView).filter_by(link_id=link.id)).all()
        assert len(views) == 2
        assert set(ShareView.__table__.columns.keys()) == {"id", "link_id", "viewed_at"}
        auth.login("vanessa@example.nl")
        listing = client.get("/passport/share").get_data(as_text=True)
        assert "2 keer" in listing and "Sollicitatie De Linde" in listing

    def test_revoked_link_shows_nothing(self, app, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        _page, token = _create(client, vanessa[:2])
        link = _link(app, token)
        post_form(client, f"/passport/share/{link.id}/revoke", {}, page="/passport/share")
        auth.logout()
        response = client.get(f"/s/{token}")
        assert response.status_code == 410
        body = response.get_data(as_text=True)
        assert "Vanessa" not in body and "Basiszorg" not in body
        assert client.get(f"/s/{token}/{vanessa[0]}.png").status_code == 410
        assert _link(app, token).view_count == 0

    def test_expired_link_shows_nothing(self, app, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
        _page, token = _create(client, vanessa[:1], expires_on=tomorrow)
        with app.app_context():
            link = db.session.scalar(db.select(ShareLink).filter_by(token=token))
            link.expires_at = utcnow() - timedelta(minutes=1)
            db.session.commit()
        auth.logout()
        response = client.get(f"/s/{token}")
        assert response.status_code == 410
        assert "Vanessa" not in response.get_data(as_text=True)

    def test_rejects_past_expiry_and_empty_choice(self, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        past = (utcnow() - timedelta(days=2)).date().isoformat()
        r = post_form(client, "/passport/share/new", {"credentials": [f"c-{vanessa[0]}"],
                                                       "title": "x", "expires_on": past})
        assert r.status_code == 200 and "Kies een datum in de toekomst" in r.get_data(as_text=True)
        r = post_form(client, "/passport/share/new", {"title": "x"})
        assert "Kies minstens één bewijs" in r.get_data(as_text=True)

    def test_unknown_token_is_404(self, client):
        assert client.get("/s/" + "A" * 32).status_code == 404


class TestOtherLearners:
    def test_cannot_see_revoke_or_download_others(self, app, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        _page, token = _create(client, vanessa[:1])
        link = _link(app, token)
        auth.logout()
        auth.login("henk@example.nl")
        assert client.get(f"/passport/share/{link.id}").status_code == 404
        assert client.get(f"/passport/share/{link.id}/qr.svg").status_code == 404
        r = post_form(client, f"/passport/share/{link.id}/revoke", {}, page="/passport/share")
        assert r.status_code == 404
        assert _link(app, token).revoked_at is None
        assert token not in client.get("/passport/share").get_data(as_text=True)
        for fmt in ("png", "svg", "json"):
            url = f"/passport/credentials/{vanessa[0]}/download/{fmt}"
            assert client.get(url).status_code == 404
        # choosing someone else's credential is refused
        r = post_form(client, "/passport/share/new",
                      {"credentials": [f"c-{vanessa[0]}"], "title": "steel"})
        assert r.status_code == 200 and "Fout:" in r.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(db.select(ShareLink).filter_by(title="steel")) is None

    def test_public_link_only_serves_its_own_credentials(self, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        _page, token = _create(client, vanessa[:1])
        auth.logout()
        assert client.get(f"/s/{token}/{vanessa[0]}.json").status_code == 200
        assert client.get(f"/s/{token}/{vanessa[2]}.json").status_code == 404

    def test_login_required(self, client):
        assert client.get("/passport/share").status_code == 302
        assert client.get("/passport/credentials/x/download/png").status_code == 302


class TestDownloads:
    def test_owner_downloads_are_baked_and_verify(self, app, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        png = client.get(f"/passport/credentials/{vanessa[0]}/download/png")
        assert png.mimetype == "image/png" and "attachment" in png.headers["Content-Disposition"]
        svg = client.get(f"/passport/credentials/{vanessa[0]}/download/svg")
        js = client.get(f"/passport/credentials/{vanessa[0]}/download/json")
        assert client.get(f"/passport/credentials/{vanessa[0]}/download/pdf").status_code == 404
        with app.app_context():
            assert baking.extract_png(png.data) and baking.extract_svg(svg.data)
            for data in (png.data, svg.data, js.data):
                report = verify_upload(data)
                assert report["verified"], report

    def test_public_downloads_verify(self, app, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        _page, token = _create(client, vanessa[:2])
        auth.logout()
        png = client.get(f"/s/{token}/{vanessa[1]}.png")
        with app.app_context():
            assert verify_upload(png.data)["verified"]


class TestActionsAndLinkedIn:
    def test_actions_partial_on_detail_page(self, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        html = client.get(f"/passport/c/{vanessa[0]}").get_data(as_text=True)
        assert "Toevoegen aan LinkedIn-profiel" in html
        assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html
        assert f"certId={vanessa[0]}" in html
        assert "certUrl=http%3A%2F%2Flocalhost%2Fverify%3Fcredential%3D" in html
        assert f"/passport/credentials/{vanessa[0]}/download/png" in html
        assert f"/passport/share/new?credential={vanessa[0]}" in html

    def test_share_form_preselects_credential(self, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        html = client.get(f"/passport/share/new?credential={vanessa[1]}").get_data(as_text=True)
        assert f'value="c-{vanessa[1]}" checked' in html
        assert f'value="c-{vanessa[0]}" checked' not in html
