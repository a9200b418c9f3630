"""Hostile input for the verifier: the service, POST /api/v1/verify and the /verify page.

Whatever comes in (random bytes, random JSON, a real credential with hostile
edits, a baked PNG with flipped bytes), the answer is a report that does not
say "valid" for a changed document, or a clear refusal: never a crash, never 500.
"""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from badges.credentials.baking import BakingError
from badges.credentials.verify.inputs import InputError
from badges.verification.services import verify_upload
from tests.fuzz.conftest import API_OK, FEW, FUZZ, JSON_VALUES, PAGE_OK, mutated


def _service(app, data) -> dict | None:
    with app.test_request_context():
        try:
            report = verify_upload(data)
        except (InputError, BakingError) as exc:
            assert exc.message_nl and exc.message_en  # a clear refusal in both languages
            return None
    assert isinstance(report["verified"], bool)
    assert report["verdict"] and report["checks"] is not None
    return report


def test_the_unmutated_credential_is_valid(app, world):
    assert _service(app, world["doc"])["verified"] is True
    assert _service(app, world["png"])["verified"] is True


@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(app, world, data):
    report = _service(app, data)
    assert report is None or report["verified"] is False


@FUZZ
@given(doc=JSON_VALUES)
def test_random_json(app, world, doc):
    report = _service(app, doc if isinstance(doc, dict) else json.dumps(doc).encode())
    assert report is None or report["verified"] is False


@FUZZ
@given(data=st.data())
def test_mutated_credential_never_verifies(app, world, data):
    doc = data.draw(mutated(world["doc"]))
    report = _service(app, doc)
    if doc != world["doc"] and report is not None:
        assert report["verified"] is False, report["checks"]


@FEW
@given(depth=st.sampled_from([100, 1000, 5000, 20000]))
def test_deeply_nested_json_text(app, world, depth):
    text = '{"@context": ' + "[" * depth + "]" * depth + ', "type": ' + '{"a":' * depth + "1" + "}" * depth + "}"
    _service(app, text.encode())


@FUZZ
@given(position=st.integers(min_value=0), value=st.integers(1, 255))
def test_baked_png_with_a_changed_byte(app, world, position, value):
    png = bytearray(world["png"])
    i = position % len(png)
    png[i] = (png[i] + value) % 256
    report = _service(app, bytes(png))
    # A byte outside the embedded credential (pixels, another chunk) may leave it valid;
    # inside it, the signature or the JSON breaks. Either way: a report or a refusal.
    assert report is None or isinstance(report["verified"], bool)


@FUZZ
@given(body=st.one_of(st.binary(max_size=2048), JSON_VALUES.map(lambda v: json.dumps(v).encode())),
       mimetype=st.sampled_from(["application/json", "application/ld+json", "text/plain",
                                 "application/jwt", "image/png", "image/svg+xml",
                                 "application/octet-stream", "text/html", "multipart/form-data"]))
def test_api_verify_raw_bodies(client, world, body, mimetype):
    response = client.post("/api/v1/verify", data=body, content_type=mimetype)
    assert response.status_code in API_OK, response.get_data(as_text=True)[:500]
    if response.status_code == 200:
        assert response.get_json()["verified"] is False


@FUZZ
@given(data=st.data())
def test_api_verify_mutated_credentials(client, world, data):
    doc = data.draw(mutated(world["doc"]))
    how = data.draw(st.sampled_from(["json", "wrapped", "file"]))
    if how == "json":
        response = client.post("/api/v1/verify", json=doc)
    elif how == "wrapped":
        response = client.post("/api/v1/verify", json={"credential": doc,
                                                       "email": data.draw(st.text(max_size=30))})
    else:
        response = client.post("/api/v1/verify", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(json.dumps(doc).encode()), "c.json")})
    assert response.status_code in API_OK, response.get_data(as_text=True)[:500]
    if response.status_code == 200 and doc != world["doc"]:
        assert response.get_json()["verified"] is False


@FEW
@given(data=st.data())
def test_verify_page_uploads_and_pastes(client, world, data):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/verify")
    kind = data.draw(st.sampled_from(["bytes", "mutated-file", "mutated-text", "png", "text"]))
    form: dict = {"csrf_token": token}
    if kind == "bytes":
        form["file"] = (io.BytesIO(data.draw(st.binary(max_size=2048))),
                        data.draw(st.sampled_from(["x.png", "x.json", "x.svg", "x", "x.exe"])))
    elif kind == "mutated-file":
        form["file"] = (io.BytesIO(json.dumps(data.draw(mutated(world["doc"]))).encode()), "c.json")
    elif kind == "mutated-text":
        form["text"] = json.dumps(data.draw(mutated(world["doc"])))
    elif kind == "png":
        png = bytearray(world["png"])
        i = data.draw(st.integers(0, len(png) - 1))
        png[i] ^= 0x5A
        form["file"] = (io.BytesIO(bytes(png)), "badge.png")
    else:
        form["text"] = data.draw(st.text(max_size=500))
        form["email"] = data.draw(st.text(max_size=40))
    response = client.post("/verify", data=form, content_type="multipart/form-data")
    assert response.status_code in PAGE_OK, response.status_code
