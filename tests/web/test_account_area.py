"""The account area: /account, the header account menu, and the passport's share and download links."""

from __future__ import annotations

import re


def _header(html: str) -> str:
    return html[html.index("<header"):html.index("</header>")]


def _menu(html: str) -> str:
    header = _header(html)
    start = header.index('<details class="account-menu"')
    return header[start:header.index("</details>", start)]


class TestAccountPage:
    def test_lists_name_email_and_what_you_can_do(self, client, auth, demo):
        auth.login("vanessa@example.nl")
        response = client.get("/account")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        main = html[html.index("<main"):html.index("</main>")]
        assert "Vanessa de Groot" in main and "vanessa@example.nl" in main
        for href in ("/account/email", "/passport/account/mijn-gegevens.json",
                     "/passport/export", "/passport/account#delete-heading", "/privacy"):
            assert f'href="{href}"' in main, href

    def test_needs_a_login(self, client, demo):
        response = client.get("/account")
        assert response.status_code == 302 and "/login" in response.location

    def test_in_english(self, client, auth, demo):
        auth.login("vanessa@example.nl")
        html = client.get("/account?lang=en").get_data(as_text=True)
        assert "My account" in html and "Change email address" in html


class TestAccountMenu:
    def test_shows_who_is_logged_in_and_links_the_account_pages(self, client, auth, demo):
        auth.login("henk@example.nl")
        html = client.get("/passport").get_data(as_text=True)
        menu = _menu(html)
        assert "Henk van der Berg" in menu and "henk@example.nl" in menu
        assert re.search(r"<summary[^>]*>", menu)
        for href in ("/account", "/privacy", "/passport/account",
                     "/passport/account#delete-heading"):
            assert f'href="{href}"' in menu, href
        assert 'action="/logout"' in menu
        # labelled: the disclosure is a navigation region of its own
        assert re.search(r'<nav[^>]+aria-label="Account"[^>]*>\s*<details class="account-menu"',
                         _header(html))

    def test_on_every_page_for_staff_too(self, client, auth, demo):
        auth.login("docent@rocdemaasvallei.example")
        for path in ("/", "/verify", "/account"):
            assert "docent@rocdemaasvallei.example" in _menu(client.get(path).get_data(as_text=True))

    def test_not_shown_when_logged_out(self, client, demo):
        html = client.get("/").get_data(as_text=True)
        assert "account-menu" not in html and 'href="/login"' in _header(html)


class TestPassportShareAndDownload:
    def test_passport_links_sharing_and_every_download(self, client, auth, demo):
        auth.login("vanessa@example.nl")
        html = client.get("/passport").get_data(as_text=True)
        share = html[html.index('id="share-title"'):]
        share = share[:share.index("</section>")]
        assert "Delen" in share
        for href in ("/passport/share", "/passport/share/new"):
            assert f'href="{href}"' in share, href
        downloads = html[html.index('id="download-title"'):]
        downloads = downloads[:downloads.index("</section>")]
        for href in ("/passport/export/skillspas.pdf", "/passport/export/skillspas.zip",
                     "/passport/export/skillspas.json", "/passport/export",
                     "/passport/account/mijn-gegevens.json"):
            assert f'href="{href}"' in downloads, href

    def test_export_pages_lead_back_to_the_account(self, client, auth, demo):
        auth.login("vanessa@example.nl")
        html = client.get("/passport/account").get_data(as_text=True)
        main = html[html.index("<main"):]
        assert 'href="/account"' in main
