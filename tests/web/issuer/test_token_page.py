"""The API-key page renders its OAuth section once, in the page, not in the <title>."""

from __future__ import annotations

import re


def test_the_oauth_section_is_in_the_page_once_and_the_title_is_plain(client, auth, demo):
    auth.login("beheer@rocdemaasvallei.example")
    html = client.get("/issuer/maasvallei-zorg-welzijn/tokens").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and title.startswith("API-sleutels")
    assert html.count("Koppelingen met OAuth 2.0") == 1
