"""The public share page says who signed each credential and how much is known about them.

A learner can import any correctly signed badge; the page an employer opens must
not dress a fake up as "Uitgegeven door ROC De Maasvallei · Echt en geldig".
"""

from __future__ import annotations

import json
import re

from tests._fakes import fake_credential
from tests.conftest import post_form
from tests.web.share.test_share import _create

TOKEN_RE = re.compile(r"/s/([A-Za-z0-9_-]{32})")
ITEM_TRUST_RE = re.compile(r'data-trust="([a-z]+)"')


def _import(client, doc: dict) -> str:
    response = post_form(client, "/passport/import", {"text": json.dumps(doc)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.location.rstrip("/").rsplit("/", 1)[-1]


def _share_imports(client, uuids: list[str]) -> str:
    data = {"credentials": [f"i-{u}" for u in uuids], "title": "Sollicitatie"}
    response = post_form(client, "/passport/share/new", data, follow_redirects=True)
    assert response.status_code == 200
    return TOKEN_RE.search(response.get_data(as_text=True)).group(1)


def _public(client, token: str, lang: str = "nl") -> str:
    html = client.get(f"/s/{token}?lang={lang}").get_data(as_text=True)
    client.set_cookie("lang", "nl", domain="localhost")
    return html


def test_known_issuer_is_named_as_signer(client, auth, vanessa):
    auth.login("vanessa@example.nl")
    _page, token = _create(client, vanessa[:1])
    auth.logout()
    html = _public(client, token)
    assert ITEM_TRUST_RE.findall(html) == ["known"]
    assert "Echt en geldig" in html
    assert "Ondertekend door Maasvallei College Zorg &amp; Welzijn" in html
    assert "Signed by Maasvallei College Zorg &amp; Welzijn" in _public(client, token, "en")


def test_unknown_key_is_signed_but_unconfirmed(client, auth, demo):
    auth.login("vanessa@example.nl")
    token = _share_imports(client, [_import(client, fake_credential("Bakkerij Jansen"))])
    auth.logout()
    html = _public(client, token)
    assert ITEM_TRUST_RE.findall(html) == ["unconfirmed"]
    assert "Echt en geldig" not in html and "tag-ok" not in html
    assert "Ondertekend, maar de uitgever is niet bevestigd" in html
    assert "Uitgegeven door Bakkerij Jansen" not in html
    assert "Noemt zich: Bakkerij Jansen" in html
    assert "niet ingetrokken" not in html.lower()
    en = _public(client, token, "en")
    assert "Signed, but the issuer is not confirmed" in en and "Valid and genuine" not in en


def test_impersonation_is_flagged_in_text_icon_and_colour(client, auth, demo):
    auth.login("vanessa@example.nl")
    token = _share_imports(client, [_import(client, fake_credential("ROC De Maasvallei"))])
    auth.logout()
    html = _public(client, token)
    assert ITEM_TRUST_RE.findall(html) == ["impersonation"]
    assert "Echt en geldig" not in html and "tag-ok" not in html
    assert "Uitgegeven door ROC De Maasvallei" not in html
    assert "tag-bad" in html and '<span aria-hidden="true">⚠</span>' in html
    assert "Pas op: nagemaakte uitgever" in html
    assert "niet ingetrokken" not in html.lower()
    en = _public(client, token, "en")
    assert "Warning: impersonated issuer" in en
