"""After a learner deletes their account, this service stops serving their credentials.

The credential URL (HTML, JSON-LD, VC-JWT) answers 410 Gone with a plain
page, the verify page's "?credential=" link says why, share pages are gone,
and a downloaded copy still verifies (signature and status are checked)
with a note that the holder deleted the account.
"""

from __future__ import annotations

import json

from badges.issuing.models import Credential
from badges.kernel.db import db
from tests.conftest import post_form
from tests.web.verify.test_page import answer, upload


def _delete(client, auth) -> None:
    auth.login("vanessa@example.nl")
    resp = post_form(client, "/passport/account/delete",
                     {"understood": "y", "password": "skillspas-demo"}, page="/passport/account")
    assert resp.status_code == 302


class TestDeletedHolder:
    def test_credentials_are_gone_and_a_copy_says_why(self, client, auth, vanessa):
        uuid = vanessa[0]
        url = f"/credentials/{uuid}"
        copy = client.get(url, headers={"Accept": "application/ld+json"}).get_data()
        assert json.loads(copy)["id"].endswith(uuid)
        auth.login("vanessa@example.nl")
        share = post_form(client, "/passport/share/new", {
            "credentials": [f"c-{uuid}"], "title": "Sollicitatie", "expires_on": ""},
            follow_redirects=True).get_data(as_text=True)
        token = share.split("/s/", 1)[1].split('"', 1)[0].split("<", 1)[0]
        assert client.get(f"/s/{token}").status_code == 200
        auth.logout()
        _delete(client, auth)

        for accept in ("text/html", "application/ld+json", "application/vc+jwt"):
            gone = client.get(url, headers={"Accept": accept})
            assert gone.status_code == 410, accept
            text = gone.get_data(as_text=True)
            assert "De houder heeft het account verwijderd" in text and uuid not in text
        share_page = client.get(f"/s/{token}")
        assert share_page.status_code == 410
        assert "De eigenaar heeft het account verwijderd" in share_page.get_data(as_text=True)
        assert client.get(f"/s/{token}/{uuid}.png").status_code == 410  # the baked image
        linked = post_form(client, "/verify", {"text": f"http://localhost/s/{token}"},
                           page="/verify")
        assert linked.status_code == 410
        assert "De houder heeft het account verwijderd" in linked.get_data(as_text=True)

        page = client.get(f"/verify?credential={uuid}")
        assert page.status_code == 410
        assert "De houder heeft het account verwijderd" in page.get_data(as_text=True)

        checked = upload(client, copy, "bewijs.json")
        html = checked.get_data(as_text=True)
        assert answer(html)[0] == "valid"  # the signature itself still holds
        assert "Account van de houder verwijderd" in html
        assert "De uitgever kan nog bevestigen" in html
        assert f"/verify?credential={uuid}" not in html  # no link to what is gone

    def test_other_credentials_are_still_served(self, client, auth, vanessa, demo):
        _delete(client, auth)
        # The others kept their accounts: their credentials are served as before.
        with client.application.app_context():
            other = db.session.scalar(db.select(Credential.uuid).where(
                Credential.holder_deleted_at.is_(None)).limit(1))
        resp = client.get(f"/credentials/{other}", headers={"Accept": "application/ld+json"})
        assert resp.status_code == 200
