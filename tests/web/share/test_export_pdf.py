"""The printable PDF overview, read back as text: it must say what the credentials say."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime

from babel.dates import format_date

from badges.catalogue.models import Achievement
from badges.issuing import services as issuing
from badges.kernel.extensions import db
from badges.kernel.media import pdf as pdf_base
from badges.organisations.models import Organisation
from tests.web.share.data import ZORG


def pdf_text(data: bytes) -> str:
    """The text shown by a PDF made with fpdf2's core fonts (latin-1 literal strings).

    pypdf and pdftotext are not installed here; with the core font fpdf2 writes every line
    as ``(text) Tj`` in a Flate stream, which this reads back.
    """
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", content, re.S):
            lines.append(re.sub(rb"\\(.)", rb"\1", literal).decode("latin-1"))
    return "\n".join(lines)


class TestPdfOverview:
    def test_shows_the_date_a_credential_was_earned_not_the_day_it_was_recorded(
            self, app, client, auth, demo, monkeypatch, tmp_path):
        # A certificate earned in June 2024, put into Skillspas today.
        with app.app_context():
            org = db.session.scalar(db.select(Organisation).filter_by(slug=ZORG))
            achievement = db.session.scalar(db.select(Achievement).filter_by(
                organisation_id=org.id, name="Basiszorg"))
            issued = issuing.issue_many(org, [issuing.IssueRequest(
                achievement=achievement, recipient_email="vanessa@example.nl",
                recipient_name="Vanessa de Groot", valid_from=datetime(2024, 6, 14, tzinfo=UTC))])
            recorded = format_date(issued[0].credential.issued_at, format="long", locale="nl")
        monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)  # core font: text readable back
        auth.login("vanessa@example.nl")
        response = client.get("/passport/export/skillspas.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = pdf_text(response.data)
        assert "Basiszorg" in text
        assert "Behaald op\n14 juni 2024" in text
        assert f"Behaald op\n{recorded}" not in text
        bundle = client.get("/passport/export/skillspas.json").get_json()
        earned = [c["validFrom"] for c in bundle["credentials"] if c["name"] == "Basiszorg"]
        assert "2024-06-14T00:00:00+00:00" in earned
