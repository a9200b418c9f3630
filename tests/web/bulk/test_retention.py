"""Bulk rows do not keep learners' e-mail, name and free text for ever.

After ``BADGES_BULK_RETENTION_DAYS`` (default 30) since a job was last active,
``badges jobs purge`` (cron) or the next upload erases the rows' personal
cells; a learner's account deletion erases the rows that named them at once.
Counts and outcomes stay.
"""

from __future__ import annotations

import json
from datetime import timedelta

from badges.issuing.models import BulkJob, BulkRow
from badges.kernel.db import db
from badges.kernel.models import utcnow
from tests.conftest import csrf_token, post_form
from tests.services.test_bulk import HEADER, make_csv
from tests.web.bulk.test_routes import job_url, upload


def _issue(client, text: str) -> str:
    url = job_url(upload(client, text))
    client.post(url + "/start", data={"csrf_token": csrf_token(client, url)})
    return url


def _age(app, url: str, days: int) -> None:
    with app.app_context():
        job = db.session.scalar(db.select(BulkJob).filter_by(uuid=url.rsplit("/", 1)[-1]))
        job.finished_at = job.heartbeat_at = utcnow() - timedelta(days=days)
        job.created_at = utcnow() - timedelta(days=days + 1)
        db.session.commit()


def _cells(app, url: str) -> list[dict]:
    with app.app_context():
        job = db.session.scalar(db.select(BulkJob).filter_by(uuid=url.rsplit("/", 1)[-1]))
        return [r.data for r in db.session.scalars(
            db.select(BulkRow).filter_by(job_id=job.id).order_by(BulkRow.line))]


class TestRetention:
    def test_purge_command_erases_rows_past_retention_and_keeps_counts(
            self, client, auth, demo, app, runner):
        auth.login("docent@rocdemaasvallei.example")
        old = _issue(client, make_csv(3, broken=1))
        recent = _issue(client, make_csv(2, period="2026-P2"))
        _age(app, old, 31)
        _age(app, recent, 29)

        result = runner.invoke(args=["jobs", "purge"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == {"purged": [old.rsplit("/", 1)[-1]]}
        assert all(cells == {} for cells in _cells(app, old))
        html = client.get(old).get_data(as_text=True)
        assert "leerling1@example.nl" not in html and "Leerling 2" not in html
        assert "verwijderd na de bewaartermijn (30 dagen)" in html
        assert "2 bewijzen uitgegeven" in html and 'data-count="invalid">1<' in html
        assert "problemen-" not in html  # nothing left to download
        assert "leerling1@example.nl" in client.get(recent).get_data(as_text=True)
        again = runner.invoke(args=["jobs", "purge"])  # cron-safe: nothing twice
        assert json.loads(again.output) == {"purged": []}

    def test_an_upload_purges_the_organisations_old_jobs(self, client, auth, demo, app):
        auth.login("docent@rocdemaasvallei.example")
        old = _issue(client, make_csv(2))
        _age(app, old, 40)
        upload(client, make_csv(1, period="2026-P3"))
        assert all(cells == {} for cells in _cells(app, old))

    def test_retention_is_configurable(self, client, auth, demo, app, runner):
        auth.login("docent@rocdemaasvallei.example")
        job = _issue(client, make_csv(2))
        _age(app, job, 8)
        app.config["BADGES"]["BULK_RETENTION_DAYS"] = 7
        try:
            result = runner.invoke(args=["jobs", "purge"])
        finally:
            app.config["BADGES"]["BULK_RETENTION_DAYS"] = 30
        assert json.loads(result.output) == {"purged": [job.rsplit("/", 1)[-1]]}


class TestAccountDeletion:
    def test_deleting_the_account_erases_the_rows_that_named_the_learner(
            self, client, auth, demo, app):
        auth.login("docent@rocdemaasvallei.example")
        text = (HEADER + "\r\n"
                "Vanessa@Example.nl;Vanessa de Vries;K0692;2026-P9;goed;;\r\n"
                "ander@example.nl;Anders;K0692;2026-P9;goed;;\r\n")
        url = _issue(client, text)
        auth.logout()
        auth.login("vanessa@example.nl")
        resp = post_form(client, "/passport/account/delete",
                         {"understood": "y", "password": "skillspas-demo"},
                         page="/passport/account")
        assert resp.status_code == 302
        cells = _cells(app, url)
        assert cells[0] == {} and cells[1]["email"] == "ander@example.nl"
        auth.login("docent@rocdemaasvallei.example")
        html = client.get(url).get_data(as_text=True)
        assert "Vanessa" not in html and "ander@example.nl" in html
        assert "2 bewijzen uitgegeven" in html


def test_the_upload_page_says_how_long_and_what_gets_signed(client, auth, demo):
    auth.login("docent@rocdemaasvallei.example")
    html = client.get("/issuer/maasvallei-zorg-welzijn/bulk/").get_data(as_text=True)
    assert "We bewaren de e-mailadressen, namen en andere gegevens uit je bestand 30 dagen" in html
    assert "resultaat, bewijs en beoordelaar komen ondertekend in het bewijs" in html
