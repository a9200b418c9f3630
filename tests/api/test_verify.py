"""POST /api/v1/verify: 200 with the report for anything readable, problem+json otherwise."""

from __future__ import annotations

import io
import json

import pytest

from badges import create_app
from badges.kernel.extensions import limiter
from tests._verify_support import (
    SAMPLE_ANSWERS,
    SAMPLES,
    baked_png,
    expired_kwargs,
    revoke,
    tampered,
)
from tests.web.verify.test_hostile import canonicalisation_bomb

URL = "/api/v1/verify"


def post_file(client, data: bytes, name: str = "badge", **form):
    return client.post(URL, data={"file": (io.BytesIO(data), name), **form},
                       content_type="multipart/form-data")


def post_json(client, doc, **kw):
    return client.post(URL, data=json.dumps(doc), content_type="application/json", **kw)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["detail"]
    return body


class TestSamples:
    @pytest.mark.parametrize("name", sorted(SAMPLE_ANSWERS))
    def test_multipart_upload(self, client, name):
        response = post_file(client, (SAMPLES / name).read_bytes(), name)
        assert response.status_code == 200
        body = response.get_json()
        assert (body["status"], body["outcome"]) == SAMPLE_ANSWERS[name]
        assert body["verified"] is False
        assert body["issuer_trust"]["state"] == "unknown"
        assert {"id", "status", "fatal", "message"} <= set(body["checks"][0])

    @pytest.mark.parametrize("name", [n for n in SAMPLE_ANSWERS if n.endswith(".json")])
    def test_json_body(self, client, name):
        for mimetype in ("application/json", "application/ld+json"):
            response = client.post(URL, data=(SAMPLES / name).read_bytes(), content_type=mimetype)
            assert response.status_code == 200
            assert response.get_json()["status"] == SAMPLE_ANSWERS[name][0]

    def test_jwt_as_text_and_raw_images(self, client):
        response = client.post(URL, data=(SAMPLES / "simple.jwt").read_text(),
                               content_type="text/plain")
        assert response.get_json()["format"] == "jwt"
        for name, mimetype in (("simple-json.png", "image/png"),
                               ("simple-json.svg", "image/svg+xml")):
            body = client.post(URL, data=(SAMPLES / name).read_bytes(),
                               content_type=mimetype).get_json()
            assert body["status"] == "indeterminate" and body["container"] == name[-3:]

    def test_key_binding_unconfirmed_is_reported(self, client):
        body = post_file(client, (SAMPLES / "simple.json").read_bytes()).get_json()
        binding = next(c for c in body["checks"] if c["id"] == "key_binding")
        assert binding["status"] == "warning"
        assert "Key binding unconfirmed" in binding["message"]["en"]


class TestOurCredentials:
    def test_valid_then_revoked(self, client, ours):
        body = post_json(client, ours.document).get_json()
        assert body["verified"] is True and body["status"] == "valid"
        assert body["issuer_trust"]["state"] == "verified"
        assert body["issuer_trust"]["brin"] == "25QM"
        assert body["summary"]["nl"].startswith("Geldig: uitgegeven door")
        revoke(ours)
        body = post_json(client, ours.document).get_json()
        assert body["status"] == "revoked" and body["verified"] is False

    def test_changed_letter_is_tampered(self, client, ours):
        body = post_json(client, tampered(ours.document)).get_json()
        assert (body["status"], body["outcome"]) == ("invalid", "tampered")
        assert body["issuer_trust"]["state"] == "claimed"

    def test_expired(self, client, make_credential):
        cred = make_credential(**expired_kwargs())
        assert post_json(client, cred.document).get_json()["status"] == "expired"

    def test_baked_png(self, client, ours):
        body = post_file(client, baked_png(ours), "badge.png").get_json()
        assert body["status"] == "valid" and body["container"] == "png"
        raw = client.post(URL, data=baked_png(ours), content_type="image/png").get_json()
        assert raw["status"] == "valid"

    def test_recipient_email(self, client, ours):
        png = baked_png(ours)
        assert post_file(client, png, email="kandidaat@example.nl").get_json()["verified"]
        wrong = post_file(client, png, email="ander@example.nl").get_json()
        assert wrong["verified"] is False
        wrapped = post_json(client, {"credential": ours.document,
                                     "email": "kandidaat@example.nl"}).get_json()
        assert wrapped["verified"] is True
        query = post_json(client, ours.document, query_string={"email": "x@example.nl"})
        assert query.get_json()["verified"] is False


class TestUnusableInput:
    def test_50_mb_is_413(self, client):
        big = b"{" + b" " * (50 * 1024 * 1024)
        assert_problem(post_file(client, big, "big.json"), 413)
        assert_problem(client.post(URL, data=big, content_type="application/json"), 413)

    def test_json_over_engine_limit_is_413(self, client):
        body = assert_problem(client.post(URL, data=b"{" + b" " * 3_000_000 + b"}",
                                          content_type="application/json"), 413)
        assert body["code"] == "too_large"

    @pytest.mark.parametrize("data", [b'{"a": ', b"[1, 2]", b"", b'{"a": NaN}',
                                      b'{"a": 1, "a": 2}', b"\xff\xfe"])
    def test_invalid_json_is_400(self, client, data):
        assert_problem(client.post(URL, data=data, content_type="application/json"), 400)

    def test_corrupt_png_is_400(self, client):
        png = bytearray((SAMPLES / "simple-json.png").read_bytes())
        png[png.find(b"iTXt") + 60] ^= 0x01
        body = assert_problem(post_file(client, bytes(png), "badge.png"), 400)
        assert "CRC" in body["detail"]

    def test_deeply_nested_json_is_400(self, client):
        deep = b'{"a":' * 5000 + b"1" + b"}" * 5000
        assert_problem(client.post(URL, data=deep, content_type="application/json"), 400)
        assert_problem(post_file(client, b"[" * 100_000), 400)

    def test_unsupported_type_and_missing_file(self, client):
        assert_problem(client.post(URL, data="<p>", content_type="text/html"), 415)
        assert_problem(client.post(URL, data={"x": "1"}, content_type="multipart/form-data"), 400)
        assert_problem(client.post(URL, data="not a credential", content_type="text/plain"), 400)

    def test_canonicalisation_bomb_is_answered_invalid(self, client):
        response = client.post(URL, data=canonicalisation_bomb(), content_type="application/json")
        assert response.status_code == 200
        body = response.get_json()
        assert body["status"] == "invalid"
        proof = next(c for c in body["checks"] if c["id"] == "proof")
        assert proof["status"] == "fail" and "too_complex" in proof["message"]["en"]


@pytest.fixture
def limited_app(app_config):
    """A second app with rate limiting on (the shared ``limiter`` is restored afterwards)."""
    enabled = limiter.enabled
    app = create_app({**app_config, "RATELIMIT_ENABLED": True})
    try:
        yield app
    finally:
        limiter.enabled = enabled


def test_rate_limited_per_client(limited_app):
    client = limited_app.test_client()
    statuses = [client.post(URL, data=b"{", content_type="application/json").status_code
                for _ in range(61)]
    assert statuses[:60] == [400] * 60
    assert statuses[60] == 429
    last = client.post(URL, data=b"{", content_type="application/json")
    assert last.mimetype == "application/problem+json"
    other = limited_app.test_client().post(URL, data=b"{", content_type="application/json",
                                           environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert other.status_code == 400  # a different address has its own budget
