"""Privacy statement, contact and about pages: on every installation, filled in by the operator."""

from __future__ import annotations

import pytest

OPERATOR = {
    "OPERATOR_NAME": "Stichting Leren in Oss",
    "OPERATOR_EMAIL": "hallo@lerenin.oss.example",
    "OPERATOR_ADDRESS": "Raadhuislaan 10, 5341 GM Oss",
    "OPERATOR_KVK": "12345678",
    "PRIVACY_OFFICER_EMAIL": "fg@lerenin.oss.example",
}


@pytest.fixture
def operator(app, monkeypatch):
    for key, value in OPERATOR.items():
        monkeypatch.setitem(app.config["BADGES"], key, value)
    return OPERATOR


class TestPrivacy:
    def test_names_the_operator_and_says_what_the_law_asks(self, client, operator):
        response = client.get("/privacy")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        for value in operator.values():
            assert value in html
        for heading in ("Wie is verantwoordelijk", "Waarvoor gebruiken we je gegevens",
                        "Hoe lang bewaren we", "Wie ziet wat", "Wie helpt ons",
                        "Jouw rechten", "Een klacht"):
            assert heading in html, heading
        for who in ("uitgever", "controleert", "adviseur", "deellink"):
            assert who in html.lower(), who
        assert "Autoriteit Persoonsgegevens" in html
        assert 'href="https://www.autoriteitpersoonsgegevens.nl/' in html
        assert "mailto:fg@lerenin.oss.example" in html

    def test_links_to_what_a_learner_can_do_themselves(self, client, operator):
        html = client.get("/privacy").get_data(as_text=True)
        assert 'href="/passport/account"' in html  # download or delete my data

    def test_says_when_the_operator_has_not_filled_in_their_details(self, client):
        html = client.get("/privacy").get_data(as_text=True)
        assert "demo" in html.lower()

    def test_in_english(self, client, operator):
        html = client.get("/privacy?lang=en").get_data(as_text=True)
        assert '<html lang="en">' in html
        assert "Who is responsible" in html and "Dutch Data Protection Authority" in html


class TestContactAndAbout:
    def test_contact_shows_the_operator(self, client, operator):
        response = client.get("/contact")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        for value in operator.values():
            assert value in html
        assert "mailto:hallo@lerenin.oss.example" in html

    def test_about(self, client, operator):
        response = client.get("/about")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Stichting Leren in Oss" in html and "Open Badges" in html


class TestLinked:
    @pytest.mark.parametrize("path", ["/", "/login", "/register", "/verify", "/bestaat-niet"])
    def test_every_footer_links_privacy_contact_and_about(self, client, path):
        html = client.get(path).get_data(as_text=True)
        footer = html[html.index('<footer'):]
        for target in ("/privacy", "/contact", "/about"):
            assert f'href="{target}"' in footer, (path, target)

    def test_registration_points_to_the_privacy_statement(self, client):
        html = client.get("/register").get_data(as_text=True)
        form = html[html.index("<form"):html.index("</form>")]
        assert 'href="/privacy"' in form
