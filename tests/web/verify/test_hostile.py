"""Hostile input on the verify page: refused quickly with a clear message, never a 500."""

from __future__ import annotations

import io
import json

import pytest

from tests._verify_support import SAMPLES
from tests.conftest import post_form
from tests.web.verify.test_page import answer, paste, upload


def canonicalisation_bomb() -> bytes:
    doc = json.loads((SAMPLES / "simple.json").read_text())
    doc["evidence"] = [{"type": ["Evidence"], "name": "x"} for _ in range(5000)]
    return json.dumps(doc).encode()


class TestHostileUploads:
    def test_50_mb_upload_gets_413_with_the_form_and_a_message(self, client):
        big = io.BytesIO(b"{" + b" " * (50 * 1024 * 1024))
        response = post_form(client, "/verify", {"file": (big, "big.json")}, page="/verify",
                             content_type="multipart/form-data")
        assert response.status_code == 413
        html = response.get_data(as_text=True)
        assert "Het bestand is te groot. Het mag maximaal 10 MB zijn." in html
        assert 'type="file"' in html  # the form is back

    def test_invalid_json(self, client):
        html = paste(client, '{"@context": [').get_data(as_text=True)
        assert answer(html) == ("invalid", "unreadable")
        assert "Geen geldige JSON" in html

    def test_png_with_corrupt_chunk(self, client):
        png = bytearray((SAMPLES / "simple-json.png").read_bytes())
        png[png.find(b"iTXt") + 60] ^= 0x01
        html = upload(client, bytes(png), "badge.png").get_data(as_text=True)
        assert answer(html) == ("invalid", "unreadable")
        assert "CRC" in html or "beschadigd" in html

    def test_deeply_nested_json(self, client):
        html = paste(client, '{"a":' * 5000 + "1" + "}" * 5000).get_data(as_text=True)
        assert answer(html) == ("invalid", "unreadable")
        assert "te diep genest" in html

    def test_canonicalisation_bomb(self, client):
        html = upload(client, canonicalisation_bomb(), "bomb.json").get_data(as_text=True)
        verdict, kind = answer(html)
        assert verdict == "invalid" and kind == "invalid"
        assert 'data-check="proof" data-status="fail"' in html


PRIVATE_LINKS = [
    "https://127.0.0.1/credentials/x", "https://10.1.2.3/badge.json",
    "https://169.254.169.254/latest/meta-data/", "https://[::1]/badge.json",
]


class TestLinks:
    @pytest.mark.parametrize("link", [*PRIVATE_LINKS, "https://example.org/badge.json"])
    def test_remote_links_refused_while_fetching_is_off(self, client, link):
        response = paste(client, link)
        assert response.status_code == 400
        assert "Links naar andere websites halen wij niet op" in response.get_data(as_text=True)

    @pytest.mark.parametrize("link", PRIVATE_LINKS)
    def test_private_addresses_refused_when_fetching_is_on(self, app, client, monkeypatch, link):
        monkeypatch.setitem(app.config["BADGES"], "REMOTE_FETCH", True)
        response = paste(client, link)
        assert response.status_code == 400
        assert "intern of gereserveerd adres" in response.get_data(as_text=True)

    @pytest.mark.parametrize("link", ["http://10.0.0.1/x.json", "http://example.org/b.json"])
    def test_plain_http_is_refused(self, app, client, monkeypatch, link):
        monkeypatch.setitem(app.config["BADGES"], "REMOTE_FETCH", True)
        response = paste(client, link)
        assert response.status_code == 400
        assert "Alleen https-links" in response.get_data(as_text=True)

    def test_unknown_local_paths_and_share_links(self, client):
        response = paste(client, "http://localhost/admin")
        assert response.status_code == 400
        response = paste(client, "http://localhost/s/not-a-token")
        assert response.status_code == 404
        assert "deellink" in response.get_data(as_text=True)


def test_a_lone_surrogate_is_refused_everywhere_never_a_500(client):
    """JSON may escape half of a surrogate pair ("\\ud800"): valid JSON, but not text that can
    be written as UTF-8. The JSON receipt answered 500 (anyone could send it); the page, the
    PDF receipt and the API refuse it as unreadable."""
    import base64

    doc = json.loads((SAMPLES / "simple.json").read_text())
    doc["name"] = "Naam \ud800 half"
    data = json.dumps(doc).encode()  # ASCII: the half pair travels as \ud800
    assert b"\\ud800" in data
    html = paste(client, data.decode()).get_data(as_text=True)
    assert answer(html) == ("invalid", "unreadable")
    for fmt in ("json", "pdf"):
        receipt = post_form(client, "/verify/receipt", {
            "input_b64": base64.b64encode(data).decode(), "format": fmt}, page="/verify")
        assert receipt.status_code == 200, fmt
    api = client.post("/api/v1/verify", data=data, content_type="application/json")
    assert api.status_code == 400 and api.get_json()["code"] == "bad_json"
