"""The passport pages as a learner sees them, and that nobody else can."""

from __future__ import annotations

import re

import pytest

from badges.issuing.models import Credential
from badges.kernel.db import db
from badges.passport.models import ImportedCredential
from tests.web.passport.conftest import user


def _uuids(app, email):
    with app.app_context():
        u = user(email)
        own = list(db.session.scalars(db.select(Credential.uuid).filter_by(recipient_user_id=u.id)))
        imp = list(db.session.scalars(db.select(ImportedCredential.uuid).filter_by(user_id=u.id)))
        return own, imp


class TestPassportHome:
    def test_lists_own_and_imported_credentials_with_status(self, client, auth, demo):
        auth.login("vanessa@example.nl")
        html = client.get("/passport").get_data(as_text=True)
        for name in ("Basiszorg", "Hygiëne en veiligheid", "Digitaal meedoen",
                     "Klik &amp; Tik: online zoeken"):
            assert name in html
        assert "Geldig" in html and "Gecontroleerd" in html
        assert "2 van 3" in html  # pathway summary on the home page
        assert "Jeugdtrainer" not in html  # Prucha's

    def test_newest_first(self, client, auth, demo):
        auth.login("vanessa@example.nl")
        html = client.get("/passport").get_data(as_text=True)
        assert html.index("Hygiëne en veiligheid") < html.index("Basiszorg") < html.index(
            "Digitaal meedoen") < html.index("Klik &amp; Tik")

    def test_expired_and_revoked_are_labelled(self, client, auth, demo):
        auth.login("henk@example.nl")
        assert "Verlopen" in client.get("/passport").get_data(as_text=True)
        auth.logout()
        auth.login("prucha@example.nl")
        assert "Ingetrokken" in client.get("/passport").get_data(as_text=True)

    @pytest.mark.parametrize("query, present, absent", [
        ("type=module", ["Basiszorg"], ["Digitaal meedoen", "Klik &amp; Tik"]),
        ("issuer=lerende-stad-oss", ["Digitaal meedoen"], ["Basiszorg"]),
        ("type=imported", ["Klik &amp; Tik"], ["Basiszorg"]),
    ])
    def test_filters_work_without_js(self, client, auth, demo, query, present, absent):
        auth.login("vanessa@example.nl")
        html = client.get(f"/passport?{query}").get_data(as_text=True)
        cards = html[html.index('class="cards"'):]
        assert all(p in cards for p in present)
        assert not any(a in cards for a in absent)

    def test_needs_login(self, client, demo):
        response = client.get("/passport")
        assert response.status_code == 302 and "/login" in response.location


class TestDetail:
    def test_detail_shows_everything_and_verifies_live(self, client, auth, demo, app):
        auth.login("vanessa@example.nl")
        home = client.get("/passport").get_data(as_text=True)
        link = re.search(r'href="(/passport/c/[^"]+)">Basiszorg<', home).group(1)
        html = client.get(link).get_data(as_text=True)
        assert "Maasvallei College Zorg &amp; Welzijn" in html
        assert "Praktijkopdracht" in html  # evidence
        assert "Goed" in html  # result
        assert "Ondersteunen bij persoonlijke verzorging" in html  # skills
        assert "Door Skillspas gecontroleerde organisatie" in html
        assert "Geldig: uitgegeven door" in html  # the live report

    def test_imported_detail_and_recheck(self, client, auth, demo, app):
        auth.login("vanessa@example.nl")
        _own, imported = _uuids(app, "vanessa@example.nl")
        html = client.get(f"/passport/i/{imported[0]}").get_data(as_text=True)
        assert "Bibliotheek Maasland" in html and "Gecontroleerd" in html
        from tests.conftest import post_form

        response = post_form(client, f"/passport/i/{imported[0]}/recheck", {},
                             page=f"/passport/i/{imported[0]}")
        assert response.status_code == 302


class TestSkillsAndPathways:
    def test_skills_grouped_with_sources(self, client, auth, demo):
        auth.login("vanessa@example.nl")
        html = client.get("/passport/skills").get_data(as_text=True)
        zorg = html.index("<h2", html.index("Zorg en welzijn") - 40)
        assert html.index("Hygiënisch werken") > zorg
        # one skill from two credentials (ours and the imported one)
        block = html[html.index("Digitale basisvaardigheden"):][:600]
        assert "Digitaal meedoen" in block and "Klik &amp; Tik" in block
        assert "Informatie zoeken en beoordelen" in html  # imported alignment
        assert "Andere vaardigheden" in html

    def test_expired_credential_gives_no_skills(self, client, auth, demo):
        auth.login("henk@example.nl")
        html = client.get("/passport/skills").get_data(as_text=True)
        assert "Veilig werken (VCA)" in html  # from the Timmerwerk praktijkverklaring
        block = html[html.index("Veilig werken (VCA)"):][:400]
        assert "Veilig werken in de werkplaats" not in block  # expired one does not count

    def test_pathways_progress_and_missing(self, client, auth, demo):
        auth.login("ben@example.nl")
        html = client.get("/passport/pathways").get_data(as_text=True)
        assert "3 van 5" in html and "Mbo-certificaat Basisvaardigheden metaalbewerken" in html
        assert "Lassen basis" in html and "Meten en controleren" in html
        assert "/issuers/vakcollege-techniek-brabant" in html


class TestIsolation:
    """A learner never sees another learner's passport, credentials or imports."""

    def test_every_route_refuses_another_learner(self, client, auth, demo, app):
        own, imported = _uuids(app, "vanessa@example.nl")
        auth.login("henk@example.nl")
        for uuid in own:
            assert client.get(f"/passport/c/{uuid}").status_code == 404
        for uuid in imported:
            assert client.get(f"/passport/i/{uuid}").status_code == 404
            assert client.get(f"/passport/i/{uuid}/image").status_code == 404
            from tests.conftest import csrf_token

            token = csrf_token(client, "/passport/import")
            for action in ("recheck", "remove"):
                response = client.post(f"/passport/i/{uuid}/{action}",
                                       data={"csrf_token": token})
                assert response.status_code == 404
        html = client.get("/passport").get_data(as_text=True)
        assert "Basiszorg" not in html and "Klik &amp; Tik" not in html
        assert "Basiszorg" not in client.get("/passport/skills").get_data(as_text=True)
        assert "Van kassa naar zorg" not in client.get("/passport/pathways").get_data(
            as_text=True)
        with app.app_context():
            assert db.session.scalar(db.select(ImportedCredential).filter_by(
                uuid=imported[0])) is not None  # remove did nothing

    def test_email_addresses_of_another_learner(self, client, auth, demo, app, mailer):
        from tests.conftest import post_form

        auth.login("vanessa@example.nl")
        post_form(client, "/passport/emails", {"email": "v@school.example", "label": "school"})
        with app.app_context():
            from badges.accounts.models import EmailAddress

            address_id = db.session.scalar(db.select(EmailAddress.id).filter_by(
                email="v@school.example"))
        link = re.search(r"http://localhost(/passport/emails/confirm/\S+)",
                         mailer.sent[-1].text).group(1)
        auth.logout()
        auth.login("henk@example.nl")
        assert "v@school.example" not in client.get("/passport/emails").get_data(as_text=True)
        for action in ("remove", "resend"):
            response = post_form(client, f"/passport/emails/{address_id}/{action}", {},
                                 page="/passport/emails")
            assert response.status_code == 404
        client.get(link)  # Vanessa's confirmation link, used by Henk
        with app.app_context():
            from badges.accounts.models import EmailAddress

            row = db.session.get(EmailAddress, address_id)
            assert row.confirmed_at is None and row.user.email == "vanessa@example.nl"


class TestPathwayCard:
    def test_a_complete_pathway_links_to_the_result_not_to_what_is_missing(
            self, client, auth, app, demo):
        from tests.web.share.data import issue_to

        auth.login("vanessa@example.nl")
        html = client.get("/passport").get_data(as_text=True)
        assert "Bekijk wat je nog nodig hebt" in html  # 2 of 3
        with app.app_context():
            issue_to("vanessa@example.nl", "Vanessa de Groot",
                     ["Praktijkverklaring Ondersteunen bij dagelijkse zorg"],
                     org_slug="zorggroep-de-linde")
        html = client.get("/passport").get_data(as_text=True)
        assert "3 van 3" in html and "compleet!" in html
        assert "Bekijk wat je nog nodig hebt" not in html
        assert "Nog nodig:" not in html
        assert "Bekijk je traject" in html


class TestRevokedCredentialDetail:
    def test_offers_no_sharing_or_linkedin(self, client, auth, app, demo):
        from badges.issuing.models import CredentialState

        with app.app_context():
            prucha = user("prucha@example.nl")
            revoked = db.session.scalar(db.select(Credential.uuid).filter_by(
                recipient_user_id=prucha.id, state=CredentialState.REVOKED))
            active = db.session.scalar(db.select(Credential.uuid).filter_by(
                recipient_user_id=prucha.id, state=CredentialState.ACTIVE))
        auth.login("prucha@example.nl")
        html = client.get(f"/passport/c/{revoked}").get_data(as_text=True)
        assert "ingetrokken" in html
        assert "linkedin.com" not in html and "Delen met een link" not in html
        assert "linkedin.com" in client.get(f"/passport/c/{active}").get_data(as_text=True)
