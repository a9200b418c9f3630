"""Catalogue pages (public GET form, entries), suggestions, and the issuer's listing form."""

from __future__ import annotations

import re

import pytest

from badges.accounts.models import User
from badges.catalogue.models import Achievement, Pathway
from badges.kernel.db import db
from badges.listings.models import Listing
from badges.organisations.models import Membership, Organisation, Role
from tests.conftest import post_form

COLLEGE = "maasvallei-zorg-welzijn"
TEACHER = "docent@rocdemaasvallei.example"
OUTSIDER = "examen@vakcollege.example"


def _ids(app):
    with app.app_context():
        a = db.session.scalar(db.select(Achievement).filter_by(name="Basiszorg"))
        p = db.session.scalar(db.select(Pathway).filter_by(name="Van kassa naar zorg"))
        return a.uuid, a.lineage, p.id


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a>', html)


class TestPublicPages:
    def test_search_by_skill_level_and_format(self, app, client, demo):
        with app.app_context():
            from badges.catalogue.models import Skill
            vca = db.session.scalar(db.select(Skill.id).filter_by(label="Veilig werken (VCA)"))
        html = client.get(f"/aanbod?skill={vca}&level=mbo:2&format=op_locatie").get_data(
            as_text=True)
        assert sorted(_titles(html)) == ["Op weg naar het mbo-certificaat metaalbewerken",
                                         "Veilig werken in de werkplaats"]
        assert "2 resultaten" in html
        assert "weghalen" in html  # each active filter can be removed

    def test_no_results_explains_what_to_do(self, client, demo):
        html = client.get("/aanbod?q=astronaut").get_data(as_text=True)
        assert "0 resultaten" in html and "Geen resultaten." in html
        assert "Leerwerkloket" in html

    def test_junk_parameters_are_ignored_not_errors(self, client, demo):
        response = client.get("/aanbod?max_weeks=abc&skill=-1&level=mbo:9&free=yes")
        assert response.status_code == 200

    def test_entry_pages_show_how_to_start_and_nothing_about_learners(self, app, client, demo):
        uuid, _lineage, pathway_id = _ids(app)
        html = client.get(f"/aanbod/{uuid}").get_data(as_text=True)
        assert "Hoe begin je?" in html and "volwassenen@rocdemaasvallei.example" in html
        assert "Telt mee voor" in html and "Van kassa naar zorg" in html
        page = client.get(f"/aanbod/traject/{pathway_id}").get_data(as_text=True)
        assert "Praktijkverklaring Ondersteunen bij dagelijkse zorg" in page
        for text in (html, page, client.get("/aanbod").get_data(as_text=True)):
            assert "Vanessa" not in text and "vanessa@" not in text
            assert "keer uitgegeven" not in text

    def test_unlisted_entries_are_404(self, app, client, demo):
        with app.app_context():
            a = db.session.scalar(db.select(Achievement).filter_by(
                name="Praktijkverklaring Timmerwerk renovatie"))
            uuid = a.uuid
        assert client.get(f"/aanbod/{uuid}").status_code == 404
        assert client.get("/aanbod/traject/999999").status_code == 404

    def test_next_steps_needs_login_and_explains_each_idea(self, client, auth, demo):
        assert client.get("/passport/next").status_code == 302
        auth.login("vanessa@example.nl")
        html = client.get("/passport/next").get_data(as_text=True)
        assert "Nog 1 stap voor Van kassa naar zorg" in html
        assert "Je hebt al" in html


class TestListingForm:
    def test_issuer_lists_a_trajectory(self, app, client, auth, demo):
        _uuid, _lineage, pathway_id = _ids(app)
        auth.login(TEACHER)
        url = f"/issuer/{COLLEGE}/pathways/{pathway_id}/aanbod"
        response = post_form(client, url, {
            "listed": "y", "sector": "zorg_welzijn", "format": "online", "city": "Uden",
            "language": "nl", "cost_kind": "gratis", "funding": ["gemeente", "uwv"],
            "start_phone": "0412 000 000"})
        assert response.status_code == 302
        with app.app_context():
            row = db.session.scalar(db.select(Listing).filter_by(pathway_id=pathway_id))
            assert (row.city, row.format.value, row.cost_kind.value) == ("Uden", "online", "gratis")
            assert [t.value for t in row.funding_tags] == ["gemeente", "uwv"]

    def test_errors_are_shown_and_nothing_is_saved(self, app, client, auth, demo):
        uuid, lineage, _pid = _ids(app)
        auth.login(TEACHER)
        response = post_form(client, f"/issuer/{COLLEGE}/achievements/{uuid}/aanbod", {
            "listed": "y", "language": "nl", "cost_kind": "bedrag", "city": "Nergens"})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert 'aria-invalid="true"' in html and "Vul het bedrag in euro in" in html
        with app.app_context():
            row = db.session.scalar(db.select(Listing).filter_by(achievement_lineage=lineage))
            assert row.city == "Oss"

    def test_issuer_sets_applications_open(self, app, client, auth, demo):
        uuid, lineage, _pid = _ids(app)
        auth.login(TEACHER)
        page = client.get(f"/issuer/{COLLEGE}/achievements/{uuid}/aanbod").get_data(as_text=True)
        assert 'value="Oss"' in page  # the form is filled with the current listing
        post_form(client, f"/issuer/{COLLEGE}/achievements/{uuid}/aanbod", {
            "language": "nl", "cost_kind": ""})
        with app.app_context():
            row = db.session.scalar(db.select(Listing).filter_by(achievement_lineage=lineage))
            assert row.listed is False and row.applications_open is False

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_staff_of_another_organisation_is_refused(self, app, client, auth, demo, method):
        uuid, _lineage, pathway_id = _ids(app)
        auth.login(OUTSIDER)
        for url in (f"/issuer/{COLLEGE}/achievements/{uuid}/aanbod",
                    f"/issuer/{COLLEGE}/pathways/{pathway_id}/aanbod"):
            response = post_form(client, url, {"listed": "y"}, page="/aanbod") \
                if method == "post" else client.get(url)
            assert response.status_code == 403

    def test_viewers_see_the_overview_but_cannot_edit(self, app, client, auth, demo):
        uuid, _lineage, _pid = _ids(app)
        with app.app_context():
            org = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
            ben = db.session.scalar(db.select(User).filter_by(email="ben@example.nl"))
            db.session.add(Membership(user=ben, organisation=org, role=Role.VIEWER))
            db.session.commit()
        auth.login("ben@example.nl")
        html = client.get(f"/issuer/{COLLEGE}/aanbod").get_data(as_text=True)
        assert "in het aanbod" in html and "Vermelding wijzigen" not in html
        assert client.get(f"/issuer/{COLLEGE}/achievements/{uuid}/aanbod").status_code == 403
