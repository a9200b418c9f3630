"""A certificate per credential (#21.5): printable, in the reader's language, tagged for
screen readers, with a QR code to the live check; from the passport and the share page."""

from __future__ import annotations

import io

from PIL import Image

from badges.issuing.models import Credential
from badges.kernel.db import db
from badges.kernel.media import pdf as pdf_base
from badges.kernel.media.qr import qr_png
from badges.passport import share
from tests import pdf_support
from tests._verify_support import revoke
from tests.web.share.test_share import _create


def _certificate(client, uuid: str, lang: str = "nl"):
    response = client.get(f"/passport/credentials/{uuid}/certificaat.pdf?lang={lang}")
    client.set_cookie("lang", "nl", domain="localhost")
    return response


def test_passport_page_offers_the_certificate(client, auth, vanessa):
    auth.login("vanessa@example.nl")
    html = client.get(f"/passport/c/{vanessa[0]}").get_data(as_text=True)
    assert f'href="/passport/credentials/{vanessa[0]}/certificaat.pdf"' in html
    assert "Certificaat (PDF)" in html


def test_dutch_certificate_is_tagged_and_says_what_the_credential_says(
        app, client, auth, vanessa, monkeypatch, tmp_path):
    auth.login("vanessa@example.nl")
    response = _certificate(client, vanessa[0])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="certificaat-')
    doc = pdf_support.read(response.data)
    assert doc.lang == "nl" and doc.marked and doc.shows_title
    assert doc.title == "Certificaat: Basiszorg - Vanessa de Groot"
    assert doc.tags[0] == "Document"
    for tag in ("H1", "H2", "P", "Table", "TR", "TH", "TD", "Figure"):
        assert tag in doc.tags, tag
    assert doc.alts["Figure"] == ["Badge van Basiszorg",
                                  "QR-code naar de controle van dit bewijs"]
    with app.app_context():
        cred = db.session.scalar(db.select(Credential).filter_by(uuid=vanessa[0]))
        url = share.verify_url(cred.uuid)
        issuer, earned = cred.organisation.name, cred.valid_from
    qr = Image.open(io.BytesIO(qr_png(url, box_size=6)))
    assert any(pdf_support.same_picture(image, qr) for image in doc.images)  # QR = verify URL

    monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)  # core font: text readable back
    text = pdf_support.text(_certificate(client, vanessa[0]).data)
    for expected in ("Basiszorg", "Dit bewijs is uitgereikt aan", "Vanessa de Groot",
                     "Uitgegeven door", issuer, "Behaald op", f"{earned.day} ", url,
                     "Controleer dit bewijs"):
        assert expected in text, expected


def test_english_certificate(client, auth, vanessa, monkeypatch, tmp_path):
    auth.login("vanessa@example.nl")
    response = _certificate(client, vanessa[0], "en")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="certificate-')
    doc = pdf_support.read(response.data)
    assert doc.lang == "en" and doc.title == "Certificate: Basiszorg - Vanessa de Groot"
    assert doc.alts["Figure"][1] == "QR code to the check of this credential"
    monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)
    text = pdf_support.text(_certificate(client, vanessa[0], "en").data)
    for expected in ("This credential was awarded to", "Issued by", "Earned on",
                     "Check this credential"):
        assert expected in text, expected
    assert "Behaald op" not in text


def test_only_the_holder_and_no_certificate_for_a_revoked_credential(app, client, auth, vanessa):
    assert client.get(f"/passport/credentials/{vanessa[0]}/certificaat.pdf").status_code == 302
    with app.app_context():
        revoke(db.session.scalar(db.select(Credential).filter_by(uuid=vanessa[1])))
    auth.login("vanessa@example.nl")
    assert _certificate(client, vanessa[1]).status_code == 404
    assert "certificaat.pdf" not in client.get(f"/passport/c/{vanessa[1]}").get_data(as_text=True)


def test_share_page_offers_the_certificate_of_what_it_shows(client, auth, vanessa):
    auth.login("vanessa@example.nl")
    _response, token = _create(client, [vanessa[0]])
    auth.logout()
    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert f'href="/s/{token}/{vanessa[0]}/certificaat.pdf"' in html
    response = client.get(f"/s/{token}/{vanessa[0]}/certificaat.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "no-store" in response.headers["Cache-Control"]
    assert pdf_support.read(response.data).title.startswith("Certificaat: Basiszorg")
    assert client.get(f"/s/{token}/{vanessa[1]}/certificaat.pdf").status_code == 404  # not shared
