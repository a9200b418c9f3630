"""The public verify page: every kind of input gets the right, plainly worded answer."""

from __future__ import annotations

import io
import re

import pytest

from tests._verify_support import (
    SAMPLE_ANSWERS,
    SAMPLES,
    baked_png,
    expired_kwargs,
    revoke,
    tampered,
)
from tests.conftest import csrf_token, post_form

KIND_RE = re.compile(r'data-verdict="([a-z_]+)" data-kind="([a-z_]+)"')


def answer(html: str) -> tuple[str, str]:
    match = KIND_RE.search(html)
    assert match, html[:2000]
    return match.group(1), match.group(2)


def upload(client, data: bytes, name: str, **fields):
    return post_form(client, "/verify", {"file": (io.BytesIO(data), name), **fields},
                     page="/verify", content_type="multipart/form-data")


def paste(client, text: str, **fields):
    return post_form(client, "/verify", {"text": text, **fields}, page="/verify")


class TestForm:
    def test_empty_page_has_labelled_inputs_and_no_answer(self, client):
        html = client.get("/verify").get_data(as_text=True)
        assert "<h1>Bewijs controleren</h1>" in html
        for field in ("file", "text", "email"):
            assert f'<label for="{field}"' in html
        assert 'enctype="multipart/form-data"' in html
        assert "js/verify.js" in html and "data-verdict" not in html

    def test_nothing_chosen_is_explained(self, client):
        response = paste(client, "")
        assert response.status_code == 400
        assert "Kies een bestand" in response.get_data(as_text=True)

    def test_missing_csrf_is_refused_kindly(self, client):
        response = client.post("/verify", data={"text": "{}"})
        assert response.status_code == 400
        assert "Het formulier is verlopen" in response.get_data(as_text=True)


class TestSamples:
    @pytest.mark.parametrize("name", sorted(SAMPLE_ANSWERS))
    def test_uploaded_sample_gets_the_right_answer(self, client, name):
        response = upload(client, (SAMPLES / name).read_bytes(), name)
        assert response.status_code == 200
        assert answer(response.get_data(as_text=True)) == SAMPLE_ANSWERS[name]

    @pytest.mark.parametrize("name", ["simple.json", "simple.jwt", "simple-noproof.json"])
    def test_pasted_sample_gets_the_same_answer(self, client, name):
        response = paste(client, (SAMPLES / name).read_text())
        assert answer(response.get_data(as_text=True)) == SAMPLE_ANSWERS[name]

    def test_unconfirmed_key_is_never_shown_as_valid(self, client):
        html = upload(client, (SAMPLES / "simple.json").read_bytes(), "simple.json").get_data(
            as_text=True)
        assert "Niet te bevestigen" in html and "verdict-warn" in html
        assert "Onbekende uitgever: staat niet op Skillspas" in html
        assert "verdict-ok" not in html and "Geldig:" not in html
        assert "Sleutelbinding niet bevestigd" in html

    def test_tampered_sample_headline_and_advice(self, client):
        html = upload(client, (SAMPLES / "simple-err-proof-value.json").read_bytes(),
                      "x.json").get_data(as_text=True)
        assert "Vervalst of gewijzigd" in html and "Vertrouw het niet" in html

    def test_not_signed_and_expired_headlines(self, client):
        html = upload(client, (SAMPLES / "simple-noproof.json").read_bytes(), "x.json")
        assert "Niet ondertekend" in html.get_data(as_text=True)
        html = upload(client, (SAMPLES / "simple-err-expired.json").read_bytes(), "x.json")
        assert "Verlopen" in html.get_data(as_text=True)


class TestOurCredentials:
    def test_direct_link_verifies_as_valid_with_trust_and_qr(self, client, ours):
        html = client.get(f"/verify?credential={ours.uuid}").get_data(as_text=True)
        assert answer(html) == ("valid", "valid")
        assert "Uitgegeven door Maasvallei College Zorg &amp; Welzijn" in html
        assert "Bekende organisatie, geverifieerd door Skillspas" in html
        assert "25QM" in html  # BRIN
        assert "data:image/svg+xml;base64," in html
        assert f"/verify?credential={ours.uuid}" in html

    def test_credential_html_redirects_here(self, client, ours):
        response = client.get(f"/credentials/{ours.uuid}", headers={"Accept": "text/html"})
        assert response.status_code == 302
        assert f"/verify?credential={ours.uuid}" in response.headers["Location"]

    def test_unknown_credential_id(self, client):
        response = client.get("/verify?credential=00000000-0000-0000-0000-000000000000")
        assert response.status_code == 404
        assert "bestaat niet" in response.get_data(as_text=True)

    def test_pasted_link_resolves_locally(self, client, ours):
        response = paste(client, f"http://localhost/credentials/{ours.uuid}")
        assert answer(response.get_data(as_text=True)) == ("valid", "valid")

    def test_upload_of_json_and_baked_png(self, client, ours):
        import json

        doc = json.dumps(ours.document).encode()
        assert answer(upload(client, doc, "c.json").get_data(as_text=True)) == ("valid", "valid")
        html = upload(client, baked_png(ours), "badge.png").get_data(as_text=True)
        assert answer(html) == ("valid", "valid")
        assert "in PNG-afbeelding" in html

    def test_revoked(self, client, ours):
        revoke(ours)
        html = client.get(f"/verify?credential={ours.uuid}").get_data(as_text=True)
        assert answer(html) == ("revoked", "revoked")
        assert "Ingetrokken" in html and "verdict-bad" in html

    def test_one_changed_letter_is_tampered_after_its_issuer_signed(self, client, ours):
        import json

        html = upload(client, json.dumps(tampered(ours.document)).encode(), "c.json").get_data(
            as_text=True)
        assert answer(html) == ("invalid", "tampered")
        assert "Ondertekend met de sleutel van deze organisatie, maar daarna veranderd" in html
        assert "data:image/svg+xml" not in html  # no QR code vouching for a forged copy
        assert f"/verify?credential={ours.uuid}" in html  # but a link to the original

    def test_expired(self, client, make_credential):
        cred = make_credential(**expired_kwargs())
        html = client.get(f"/verify?credential={cred.uuid}").get_data(as_text=True)
        assert answer(html) == ("expired", "expired")

    def test_unverified_organisation_is_known_not_verified(self, client, make_credential):
        cred = make_credential("sv-osc-28")
        html = client.get(f"/verify?credential={cred.uuid}").get_data(as_text=True)
        assert answer(html) == ("valid", "valid")
        assert "nog niet geverifieerd door Skillspas" in html and "40212345" in html

    def test_recipient_email_check(self, client, ours):
        import json

        doc = json.dumps(ours.document)
        html = paste(client, doc, email="Kandidaat@Example.nl").get_data(as_text=True)
        assert answer(html) == ("valid", "valid")
        assert 'data-check="recipient" data-status="pass"' in html
        html = paste(client, doc, email="iemand-anders@example.nl").get_data(as_text=True)
        # genuine is its own answer; the address is answered apart (#22 item 6)
        assert answer(html) == ("valid", "valid")
        assert 'data-address="mismatch"' in html

    def test_english(self, client, ours):
        html = client.get(f"/verify?credential={ours.uuid}&lang=en").get_data(as_text=True)
        assert "Issued by Maasvallei College Zorg &amp; Welzijn" in html
        assert "The signature is correct." in html
        client.set_cookie("lang", "nl", domain="localhost")


class TestReceipts:
    def _receipt(self, client, fields: dict, fmt: str):
        token = csrf_token(client, "/verify")
        return client.post("/verify/receipt", data={**fields, "format": fmt,
                                                    "csrf_token": token})

    def test_pdf_and_json_for_our_credential(self, client, ours):
        pdf = self._receipt(client, {"credential": ours.uuid}, "pdf")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        assert pdf.headers["Content-Disposition"].startswith("attachment")
        data = self._receipt(client, {"credential": ours.uuid}, "json").get_json()
        assert data["verdict"] == "valid" and data["service"] == "http://localhost"
        assert {c["id"] for c in data["checks"]} >= {"proof", "status", "validity"}
        assert len(data["input"]["sha256"]) == 64 and data["checked_at"].endswith("Z")

    def test_receipt_reverifies_uploaded_input(self, client, ours):
        import base64
        import hashlib

        png = baked_png(ours)
        html = upload(client, png, "badge.png").get_data(as_text=True)
        b64 = base64.b64encode(png).decode()
        assert f'name="input_b64" value="{b64}"' in html
        revoke(ours)  # the receipt is a fresh check, not a stored answer
        data = self._receipt(client, {"input_b64": b64}, "json").get_json()
        assert data["verdict"] == "revoked"
        assert data["input"]["sha256"] == hashlib.sha256(png).hexdigest()
        assert data["input"]["container"] == "png"

    def test_damaged_receipt_input(self, client):
        response = self._receipt(client, {"input_b64": "***"}, "pdf")
        assert response.status_code == 400


class TestShareLinks:
    def _link(self, app, credentials, token):
        from badges.accounts.models import User
        from badges.issuing.models import Credential
        from badges.kernel.db import db
        from badges.passport.models import ShareLink

        ids = [c.id for c in credentials]
        with app.app_context():
            user = db.session.scalar(db.select(User).limit(1))
            found = db.session.scalars(db.select(Credential).where(Credential.id.in_(ids))).all()
            link = ShareLink(user_id=user.id, token=token, title="Sollicitatie",
                             credentials=list(found))
            db.session.add(link)
            db.session.commit()

    def test_share_link_with_one_credential_is_verified(self, app, client, ours):
        self._link(app, [ours], "tok-one")
        html = paste(client, "http://localhost/s/tok-one").get_data(as_text=True)
        assert answer(html) == ("valid", "valid")

    def test_share_link_with_several_is_explained(self, app, client, ours, make_credential):
        self._link(app, [ours, make_credential(email="b@example.nl")], "tok-two")
        response = paste(client, "http://localhost/s/tok-two")
        assert response.status_code == 400
        assert "meer dan één credential" in response.get_data(as_text=True)
