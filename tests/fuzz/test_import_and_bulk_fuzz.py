"""Hostile input for the importer (service and /passport/import) and the bulk issuer
(bulk_csv.parse, the upload page and POST /api/v1/bulk): a clear refusal or a
report, never a crash or a 500."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badges.accounts.models import User
from badges.issuing import bulk_csv
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.organisations.models import Organisation
from badges.passport import importing
from tests.conftest import csrf_token
from tests.fuzz.conftest import API_OK, FEW, FUZZ, JSON_VALUES, PAGE_OK, logged_in, mutated


@pytest.fixture
def vanessa(app, world):
    return logged_in(app, "vanessa@example.nl")


@pytest.fixture
def docent(app, world):
    return logged_in(app, "docent@rocdemaasvallei.example")


@pytest.fixture
def api_token(app, world) -> str:
    from badges.organisations import api_tokens

    with app.test_request_context():
        token = api_tokens.create_api_token(db.session.get(Organisation, world["college_id"]), "fz")
        db.session.commit()
    return token


# --- importer ------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_import_service_refuses_or_stores(app, world, data):
    kind = data.draw(st.sampled_from(["bytes", "json", "mutated", "text"]))
    payload = {
        "bytes": lambda: data.draw(st.binary(max_size=2048)),
        "json": lambda: json.dumps(data.draw(JSON_VALUES)).encode(),
        "mutated": lambda: json.dumps(data.draw(mutated(world["doc"]))).encode(),
        "text": lambda: data.draw(st.text(max_size=500)),
    }[kind]()
    with app.test_request_context():
        user = db.session.get(User, world["vanessa_id"])
        try:
            row = importing.import_credential(user, payload)
        except ServiceError as exc:
            assert exc.message
        else:
            assert (row.uuid and row.verdict != "valid") or kind == "mutated"
        db.session.rollback()


@FEW
@given(data=st.data())
def test_import_page_never_500(app, world, data, vanessa):
    client = vanessa
    token = csrf_token(client, "/passport/import")
    form: dict = {"csrf_token": token}
    if data.draw(st.booleans()):
        body = data.draw(st.one_of(st.binary(max_size=2048),
                                   st.just(json.dumps(data.draw(mutated(world["doc"]))).encode())))
        form["file"] = (io.BytesIO(body), data.draw(st.sampled_from(["b.png", "b.json", "b.svg",
                                                                     "b.jwt", "b"])))
    else:
        form["text"] = data.draw(st.text(max_size=1000))
    response = client.post("/passport/import", data=form, content_type="multipart/form-data")
    assert response.status_code in PAGE_OK, response.status_code


# --- bulk CSV ------------------------------------------------------------------------------

SEPARATORS = st.sampled_from([";", ",", "\t", "|", ":", " ", "\x00", ";;", '"'])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1",
                             "utf-32"])
CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["leerling@example.nl", "K0692", "31-12-2030", "2026-P1", '"', '""', "\r",
                     "\n", "\x00", "=cmd|' /C calc'!A0", "@SUM(1)", "é€ß", "\ufeff"]),
    st.integers(1, 20_000).map(lambda n: "x" * n),
)


@st.composite
def csv_files(draw, achievement: str) -> bytes:
    sep = draw(SEPARATORS)
    quote = draw(st.sampled_from(['"', "'", ""]))
    header = draw(st.sampled_from([["e-mail", "naam", "prestatie"],
                                   ["email", "name", "achievement", "periode"],
                                   ["E-Mail", "Naam"], [], ["\ufeffe-mail", "naam", "prestatie"]]))
    rows = [header]
    for _ in range(draw(st.integers(0, 8))):
        row = draw(st.lists(CELL, min_size=0, max_size=6))
        if draw(st.booleans()):
            row = [f"r{len(rows)}@example.nl", "Naam", achievement, *row]
        rows.append(row)
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    text = newline.join(sep.join(f"{quote}{c}{quote}" for c in r) for r in rows) + newline
    encoding = draw(ENCODINGS)
    raw = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        raw = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b""])) + raw
    if draw(st.integers(0, 5)) == 0:
        raw += draw(st.binary(max_size=200))
    return raw


def _achievement_uuid(app, world) -> str:
    from badges.catalogue.models import Achievement

    with app.test_request_context():
        return db.session.scalar(db.select(Achievement.uuid).filter_by(
            organisation_id=world["college_id"]).order_by(Achievement.id))


@FUZZ
@given(data=st.data())
def test_bulk_parse_refuses_or_reports(app, world, data):
    raw = data.draw(st.one_of(csv_files(_achievement_uuid(app, world)), st.binary(max_size=4096)))
    with app.test_request_context():
        org = db.session.get(Organisation, world["college_id"])
        try:
            parsed = bulk_csv.parse(org, raw)
        except ServiceError as exc:
            assert exc.message
        else:
            for row in parsed.rows:
                assert row.line >= 2
                for error in row.errors:
                    assert error["message"]


@FEW
@given(data=st.data())
def test_bulk_page_and_api_never_500(app, world, data, docent, api_token):
    raw = data.draw(st.one_of(csv_files(_achievement_uuid(app, world)), st.binary(max_size=2048)))
    client = docent
    url = f"/issuer/{world['college']}/bulk/"
    form = {"csrf_token": csrf_token(client, url),
            "file": (io.BytesIO(raw), data.draw(st.sampled_from(["a.csv", "a.txt", "a.xlsx"])))}
    response = client.post(url, data=form, content_type="multipart/form-data")
    assert response.status_code in PAGE_OK, response.status_code
    response = client.post("/api/v1/bulk", data=raw,
                           headers={"Authorization": f"Bearer {api_token}"},
                           content_type=data.draw(st.sampled_from(["text/csv", "text/plain",
                                                                   "application/json"])))
    assert response.status_code in API_OK, response.get_data(as_text=True)[:300]


@FEW
@given(lines=st.integers(1, 3), width=st.sampled_from([100_000, 1_000_000]))
def test_bulk_extremely_long_lines(app, world, lines, width):
    raw = ("e-mail;naam;prestatie\r\n" + ("a" * width + ";b;c\r\n") * lines).encode()
    with app.test_request_context():
        org = db.session.get(Organisation, world["college_id"])
        try:
            bulk_csv.parse(org, raw)
        except ServiceError as exc:
            assert exc.message
