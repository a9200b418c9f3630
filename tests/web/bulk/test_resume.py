"""An inline bulk job whose process died is shown as interrupted and can be resumed.

Without Redis a job runs inside the web process that started it; when that
process dies (kill -9, OOM, a deploy), the job must not show "Bezig" for ever.
The database state here is what such a crash leaves: the committed chunks'
rows issued (with their credentials), the rest pending, the job ``running``
under an owner that no longer exists. ``tests/ops/test_inline_job_kill.py``
produces that state with a real kill -9.
"""

from __future__ import annotations

import json
import socket
from datetime import timedelta

from sqlalchemy import func

from badges.issuing.models import BulkJob, BulkJobState, BulkRow, BulkRowState, Credential
from badges.kernel.db import db
from badges.kernel.models import utcnow
from tests.conftest import csrf_token
from tests.services.test_bulk import make_csv
from tests.web.bulk.test_routes import job_url, mailer, upload  # noqa: F401 - fixture

DEAD_PID = 2**22 + 12345  # above Linux's pid_max default: no such process


def _job(app, url: str) -> BulkJob:
    return db.session.scalar(db.select(BulkJob).filter_by(uuid=url.rsplit("/", 1)[-1]))


def _crashed_half_way(client, app, *, owner: str, heartbeat_age: timedelta) -> str:
    """Upload 10 rows, issue the first 5, then leave the job as a dead run leaves it."""
    url = job_url(upload(client, make_csv(10)))
    with app.app_context():
        job = _job(app, url)
        rest = [r.id for r in db.session.scalars(
            db.select(BulkRow).filter_by(job_id=job.id).order_by(BulkRow.line)).all()[5:]]
        db.session.execute(db.update(BulkRow).where(BulkRow.id.in_(rest))
                           .values(state=BulkRowState.INVALID))
        db.session.commit()
    client.post(url + "/start", data={"csrf_token": csrf_token(client, url)})
    with app.app_context():
        job = _job(app, url)
        assert job.issued == 5
        db.session.execute(db.update(BulkRow).where(BulkRow.id.in_(rest))
                           .values(state=BulkRowState.PENDING))
        job.state, job.finished_at = BulkJobState.RUNNING, None
        job.owner, job.heartbeat_at = owner, utcnow() - heartbeat_age
        db.session.commit()
    return url


def _assert_each_row_issued_once(app, url: str) -> None:
    with app.app_context():
        job = _job(app, url)
        assert job.state == BulkJobState.DONE and (job.issued, job.skipped) == (10, 0)
        rows = db.session.scalars(db.select(BulkRow).filter_by(job_id=job.id)).all()
        assert {r.state for r in rows} == {BulkRowState.ISSUED}
        ids = [r.credential_id for r in rows]
        assert len(set(ids)) == 10 and None not in ids
        doubles = db.session.execute(
            db.select(Credential.dedup_key, func.count()).where(Credential.dedup_key.isnot(None))
            .group_by(Credential.dedup_key).having(func.count() > 1)).all()
        assert doubles == []
        assert db.session.scalar(db.select(func.count(Credential.id)).where(
            Credential.recipient_email.like("leerling%@example.nl"))) == 10


class TestInterruptedInlineJob:
    def test_dead_owner_on_this_host_is_interrupted_and_resumes_once(
            self, client, auth, demo, app, mailer):  # noqa: F811
        auth.login("docent@rocdemaasvallei.example")
        url = _crashed_half_way(client, app, owner=f"{socket.gethostname()}:{DEAD_PID}",
                                heartbeat_age=timedelta(seconds=5))
        status = client.get(url + "/status.json").get_json()
        assert status["state"] == "interrupted" and status["interrupted"] is True
        assert status["progress"] == 50
        html = client.get(url).get_data(as_text=True)
        assert "Onderbroken" in html and "Hervatten" in html and "js/bulk.js" not in html
        listing = client.get("/issuer/maasvallei-zorg-welzijn/bulk/").get_data(as_text=True)
        assert "Onderbroken" in listing

        resp = client.post(url + "/start", data={"csrf_token": csrf_token(client, url)})
        assert resp.status_code == 302
        assert client.get(url + "/status.json").get_json()["state"] == "done"
        _assert_each_row_issued_once(app, url)
        assert len(mailer.sent) == 10  # 5 before the crash, 5 now: nobody twice

    def test_stale_heartbeat_from_another_host_is_interrupted(self, client, auth, demo, app):
        auth.login("docent@rocdemaasvallei.example")
        url = _crashed_half_way(client, app, owner="web-7.elders:4242",
                                heartbeat_age=timedelta(hours=1))
        assert client.get(url + "/status.json").get_json()["state"] == "interrupted"
        client.post(url + "/start", data={"csrf_token": csrf_token(client, url)})
        _assert_each_row_issued_once(app, url)

    def test_a_live_job_is_not_taken_over(self, client, auth, demo, app):
        auth.login("docent@rocdemaasvallei.example")
        url = _crashed_half_way(client, app, owner="web-7.elders:4242",
                                heartbeat_age=timedelta(seconds=10))
        status = client.get(url + "/status.json").get_json()
        assert status["state"] == "running" and not status["interrupted"]
        assert "Hervatten" not in client.get(url).get_data(as_text=True)
        client.post(url + "/start", data={"csrf_token": csrf_token(client, url)})
        assert "al gestart" in client.get(url).get_data(as_text=True)
        with app.app_context():
            assert _job(app, url).issued == 5

    def test_jobs_requeue_resumes_without_redis(self, client, auth, demo, app, runner):
        auth.login("docent@rocdemaasvallei.example")
        url = _crashed_half_way(client, app, owner=f"{socket.gethostname()}:{DEAD_PID}",
                                heartbeat_age=timedelta(seconds=5))
        result = runner.invoke(args=["jobs", "requeue"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == {"resumed": [url.rsplit("/", 1)[-1]]}
        _assert_each_row_issued_once(app, url)
        again = runner.invoke(args=["jobs", "requeue"])
        assert json.loads(again.output) == {"resumed": []}
