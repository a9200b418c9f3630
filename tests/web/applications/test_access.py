"""Who sees an application and its evidence files: the learner, that organisation, the holder."""

from __future__ import annotations

import io

import pytest

from badges.applications.models import ApplicationEvidence
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from tests.conftest import post_form
from tests.web.applications.conftest import ASSESSOR, HENK, PDF, PNG, application_of
from tests.web.applications.test_application_flow import CONFIRM, prepared, start

VAK = "/issuer/vakcollege-techniek-brabant/aanvragen"


@pytest.fixture
def submitted(app, client, auth, mailer, werkbegeleider) -> tuple[str, int]:
    auth.login(HENK)
    uuid = prepared(client, werkbegeleider)
    post_form(client, f"/passport/aanvragen/{uuid}/indienen", CONFIRM,
              page=f"/passport/aanvragen/{uuid}")
    auth.logout()
    with app.app_context():
        file_id = db.session.scalar(db.select(ApplicationEvidence.id).filter_by(
            application_id=application_of(app, uuid).id, kind="file"))
    return uuid, file_id


def _approve(app, client, auth, uuid) -> str:
    auth.login(ASSESSOR)
    post_form(client, f"{VAK}/{uuid}/goedkeuren", {}, page=f"{VAK}/{uuid}")
    auth.logout()
    with app.app_context():
        cred = db.session.get(Credential, application_of(app, uuid).credential_id)
        return next(e["id"] for e in cred.document["evidence"]
                    if e.get("id", "").startswith("http://localhost/evidence/"))


class TestOtherOrganisations:
    @pytest.mark.parametrize("email", ["docent@rocdemaasvallei.example",
                                       "beheer@rocdemaasvallei.example",
                                       "trainer@osc28.example"])
    def test_staff_of_another_organisation_reach_nothing(self, client, auth, submitted, email):
        uuid, file_id = submitted
        auth.login(email)
        slug = {"trainer@osc28.example": "sv-osc-28"}.get(email, "maasvallei-zorg-welzijn")
        # their own queue does not list it; their org's URLs with its id are 404
        assert uuid not in client.get(f"/issuer/{slug}/aanvragen").get_data(as_text=True)
        for path in ("", f"/bewijs/{file_id}"):
            assert client.get(f"/issuer/{slug}/aanvragen/{uuid}{path}").status_code == 404
        for action in ("vraag", "goedkeuren", "afwijzen"):
            r = post_form(client, f"/issuer/{slug}/aanvragen/{uuid}/{action}",
                          {"text": "x", "reason": "x"}, page="/passport/emails")
            assert r.status_code == 404
        # the Vakcollege's URLs themselves: 403
        for path in ("", f"/{uuid}", f"/{uuid}/bewijs/{file_id}"):
            assert client.get(f"{VAK}{path}").status_code == 403
        for action in ("vraag", "goedkeuren", "afwijzen"):
            r = post_form(client, f"{VAK}/{uuid}/{action}", {"text": "x", "reason": "x"},
                          page="/passport/emails")
            assert r.status_code == 403
        assert application_of(client.application, uuid).state.value == "submitted"

    def test_drafts_are_not_shown_to_the_organisation(self, client, auth, mailer, werkbegeleider):
        auth.login(HENK)
        uuid = start(client, werkbegeleider)
        auth.logout()
        auth.login(ASSESSOR)
        assert client.get(f"{VAK}/{uuid}").status_code == 404


class TestEvidenceFiles:
    def test_learner_and_assessor_download_others_do_not(self, client, auth, submitted):
        uuid, file_id = submitted
        own = f"/passport/aanvragen/{uuid}/bewijs/{file_id}"
        assert client.get(own).status_code == 302  # anonymous: to the login page
        auth.login("ben@example.nl")
        assert client.get(own).status_code == 404
        assert client.get(f"/passport/aanvragen/{uuid}").status_code == 404
        auth.logout()
        auth.login(HENK)
        r = client.get(own)
        assert r.status_code == 200 and r.data == PDF and r.mimetype == "application/pdf"
        assert r.headers["Content-Disposition"].startswith("attachment")
        auth.logout()
        auth.login(ASSESSOR)
        assert client.get(f"{VAK}/{uuid}/bewijs/{file_id}").data == PDF

    def test_capability_url_works_after_issuing_and_dies_on_revocation(self, app, client, auth,
                                                                         submitted):
        uuid, _file_id = submitted
        url = _approve(app, client, auth, uuid)
        path = url.removeprefix("http://localhost")
        r = client.get(path)  # anyone with the credential (anonymous here)
        assert r.status_code == 200 and r.data == PDF
        assert r.headers["Cache-Control"] == "private, no-store"
        assert client.get(path[:-4] + "AAAA").status_code == 404
        assert client.get("/evidence/not-a-token").status_code == 404
        with app.app_context():
            cred = db.session.get(Credential, application_of(app, uuid).credential_id)
            issuing.change_state(cred, CredentialState.REVOKED, "test", actor_id=None)
        assert client.get(path).status_code == 404

    def test_capability_url_dies_when_the_learner_deletes_the_account(self, app, client, auth,
                                                                      submitted):
        uuid, _file_id = submitted
        path = _approve(app, client, auth, uuid).removeprefix("http://localhost")
        assert client.get(path).status_code == 200
        auth.login(HENK)
        r = post_form(client, "/passport/account/delete",
                      {"understood": "y", "password": "skillspas-demo"}, page="/passport/account")
        assert r.status_code == 302
        assert client.get(path).status_code in (404, 410)

    def test_no_capability_url_before_approval(self, app, submitted):
        uuid, _ = submitted
        with app.app_context():
            rows = db.session.scalars(db.select(ApplicationEvidence).filter_by(
                application_id=application_of(app, uuid).id)).all()
            assert all(r.capability_hash is None for r in rows)


class TestFileRefusals:
    @pytest.fixture
    def page(self, client, auth, mailer, werkbegeleider) -> str:
        auth.login(HENK)
        return f"/passport/aanvragen/{start(client, werkbegeleider)}"

    def _upload(self, client, page, data: bytes, name: str):
        return post_form(client, f"{page}/bestand", {"file": (io.BytesIO(data), name)},
                         page=page, content_type="multipart/form-data", follow_redirects=True)

    @pytest.mark.parametrize("data,name", [
        (b"MZ\x90\x00\x03", "tool.exe"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>\x00", "plaatje.png"),  # name lies
        (b"PK\x03\x04" + b"\x00" * 20, "doc.docx"),
    ])
    def test_wrong_types_are_refused(self, client, page, data, name):
        html = self._upload(client, page, data, name).get_data(as_text=True)
        assert "Dit soort bestand kunnen we niet aannemen" in html

    def test_too_large_is_refused(self, client, page):
        html = self._upload(client, page, PNG + b"\x00" * (5 * 1024 * 1024), "groot.png")
        assert "Dit bestand is te groot" in html.get_data(as_text=True)

    def test_allowed_types_are_kept_and_the_limit_is_ten(self, client, page):
        for i, (data, name) in enumerate([(PDF, "a.pdf"), (PNG, "b.png"),
                                          (b"\xff\xd8\xff\xe0" + b"0" * 10, "c.jpg"),
                                          ("Gewone tekst, ook é".encode(), "d.txt")] * 3):
            html = self._upload(client, page, data, name).get_data(as_text=True)
            if i < 10:
                assert "Het bestand is toegevoegd" in html, i
            else:
                assert "hoogstens 10 bestanden" in html
