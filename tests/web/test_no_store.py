"""``Cache-Control: no-store`` on every answer meant for one signed-in user (#15 item 12).

A shared computer's browser cache, or a proxy, must not keep a page with a
learner's grades or an API token shown once in clear.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import AuthActions, post_form
from tests.web.test_security import html_pages

COLLEGE = "/issuer/maasvallei-zorg-welzijn"


def _no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("who", ["vanessa@example.nl", "beheer@rocdemaasvallei.example",
                                 "beheer@skillspas.example"])
def test_every_page_of_a_signed_in_user_is_no_store(app, client, demo, who):
    AuthActions(client).login(who)
    cached = []
    checked = 0
    for url in html_pages(app):
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            checked += 1
            if not _no_store(response):
                cached.append(url)
    for url in ("/passport", f"{COLLEGE}/", "/account"):
        response = client.get(url, follow_redirects=True)
        if response.status_code == 200 and not _no_store(response):
            cached.append(url)
    assert checked >= 5 and cached == []


def test_the_new_api_token_page_is_no_store(client, auth, demo):
    auth.login("beheer@rocdemaasvallei.example")
    response = post_form(client, f"{COLLEGE}/tokens", {"name": "Eduarte", "scopes": ["issue", "read"]})
    assert re.search(r'value="(sp_[\w-]+)"', response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "no-store"


def test_api_answers_to_a_token_are_no_store(app, client, demo):
    from badges.kernel.db import db
    from badges.organisations.api_tokens import create_api_token
    from badges.organisations.models import Organisation

    with app.app_context():
        org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
        token = create_api_token(org, "test")
    response = client.get("/api/v1/credentials/not-ours", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert _no_store(response)


def test_public_pages_for_visitors_stay_cacheable(client, demo):
    assert not _no_store(client.get("/"))
