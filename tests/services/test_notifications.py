"""Emails about new credentials, end to end: issuing, batching, a real SMTP server, real Redis.

Inline mode (no ``REDIS_URL``) sends at once; queued mode puts jobs on a
queue of this test's own on the Redis at 127.0.0.1:6379 (removed again
afterwards) and runs them with an RQ ``SimpleWorker`` in this process, so
the job sees this test's (rolled back) transaction. The SMTP server is
aiosmtpd (``smtp_server`` in this folder's conftest).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job

from badges import create_app
from badges.catalogue.models import Achievement
from badges.issuing import notifications
from badges.issuing import services as issuing
from badges.issuing.models import Credential
from badges.issuing.services import Issued
from badges.kernel import events, jobs
from badges.kernel.db import db
from badges.kernel.mail import MailBatchError
from badges.kernel.tokens import hash_secret
from badges.organisations.models import Organisation

REDIS_URL = "redis://127.0.0.1:6379/0"
BASE_URL = "https://skillspas.test"
COLLEGE = "maasvallei-zorg-welzijn"
KNOWN = "vanessa@example.nl"  # a demo learner with an account
SEND = "badges.issuing.notifications:send_issued_emails"


def _variant(app_config: dict, port: int, **overrides) -> Flask:
    """Another app on the test's database whose mail goes to the local SMTP server."""
    return create_app({**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                       "BASE_URL": BASE_URL,
                       # the limiter is shared by every app: keep its counters off Redis
                       "RATELIMIT_STORAGE_URI": "memory://", **overrides})


@pytest.fixture
def smtp_app(app, app_config, smtp_server) -> Flask:
    return _variant(app_config, smtp_server[1])


@pytest.fixture
def queued(app, app_config, smtp_server, monkeypatch) -> Iterator[dict]:
    """A queued-mode app on a queue of its own; every key it made in Redis goes afterwards."""
    name = f"badges-test-mail-{uuid.uuid4().hex[:12]}"
    redis = Redis.from_url(REDIS_URL)
    redis.ping()
    queued_app = _variant(app_config, smtp_server[1], REDIS_URL=REDIS_URL, QUEUE_NAME=name)
    # RQ runs a job through jobs.run_in_app, which builds an app from the environment:
    # hand it this one instead (same configuration, same database connection).
    monkeypatch.setattr("badges.create_app", lambda *a, **kw: queued_app)
    monkeypatch.setattr(jobs, "_worker_app", None, raising=False)
    queue = Queue(name, connection=redis)
    workers: list[str] = []
    try:
        yield {"app": queued_app, "queue": queue, "redis": redis, "workers": workers}
    finally:
        _clean_redis(redis, queue, workers)


def _clean_redis(redis: Redis, queue: Queue, workers: list[str]) -> None:
    job_ids = set(queue.get_job_ids())
    for registry in (queue.started_job_registry, queue.finished_job_registry,
                     queue.failed_job_registry, queue.scheduled_job_registry,
                     queue.deferred_job_registry, queue.canceled_job_registry):
        job_ids.update(registry.get_job_ids(cleanup=False))
    for job_id in job_ids:
        for key in redis.scan_iter(f"rq:*{job_id}*"):
            redis.delete(key)
    for name in workers:
        for key in redis.scan_iter(f"rq:*{name}*"):
            redis.delete(key)
        redis.srem("rq:workers", f"rq:worker:{name}")
    for key in redis.scan_iter(f"*{queue.name}*"):
        redis.delete(key)
    redis.srem("rq:queues", queue.key)
    assert not list(redis.scan_iter(f"*{queue.name}*"))


def _work(setup: dict, max_jobs: int | None = None) -> None:
    """Run queued jobs in this process, as ``badges worker`` would in its work horse."""
    name = f"test-mail-{uuid.uuid4().hex[:12]}"
    setup["workers"].append(name)
    SimpleWorker([setup["queue"]], connection=setup["redis"], name=name).work(
        burst=True, max_jobs=max_jobs)


def _jobs(queue: Queue) -> list[Job]:
    return queue.get_jobs()


def _issue(emails: list[str]) -> list[Issued]:
    """Issue one credential per address (committed inside the test's transaction), silently:
    these tests drive the announcement themselves (``issue_many`` announces through the
    ``CredentialsIssued`` event, see TestAnnouncedByEvent)."""
    org = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
    achievement = db.session.scalar(db.select(Achievement).filter_by(
        organisation_id=org.id, name="Basiszorg"))
    requests = [issuing.IssueRequest(achievement=achievement, recipient_email=email,
                                     recipient_name=f"Lerende {i}")
                for i, email in enumerate(emails)]
    with events.muted():
        issued = issuing.add(org, requests)
    db.session.commit()
    assert len(issued) == len(emails)
    return issued


def _new_addresses(n: int) -> list[str]:
    return [f"nieuw{i}-{uuid.uuid4().hex[:6]}@example.nl" for i in range(n)]


def _items(issued: list[Issued]) -> list[list]:
    return [[item.id, item.claim_token] for item in issued]


class TestAnnouncedByEvent:
    def test_issue_many_mails_each_recipient_once_after_the_commit(self, smtp_app, demo,
                                                                   smtp_server):
        server, _ = smtp_server
        emails = _new_addresses(3)
        with smtp_app.app_context():
            org = db.session.scalar(db.select(Organisation).filter_by(slug=COLLEGE))
            achievement = db.session.scalar(db.select(Achievement).filter_by(
                organisation_id=org.id, name="Basiszorg"))
            issuing.issue_many(org, [issuing.IssueRequest(achievement=achievement,
                                                          recipient_email=email)
                                     for email in emails])
            assert sorted(server.to()) == sorted(emails)  # one each, none twice


class TestInline:
    def test_issuing_sends_one_email_per_credential_over_one_connection(self, smtp_app, demo,
                                                                        smtp_server):
        server, _ = smtp_server
        emails = [*_new_addresses(3), KNOWN]
        with smtp_app.app_context():
            issued = _issue(emails)
            assert server.received == []  # issuing itself sends nothing
            notifications.notify_issued(issued)

            assert server.session_count == 1
            assert all(r.session is server.sessions[0] for r in server.received)
            assert sorted(server.to()) == sorted(emails)  # one each, none twice
            by_to = {r.to: r for r in server.received}
            for item in issued:
                credential = db.session.get(Credential, item.id)
                got = by_to[credential.recipient_email]
                assert got.rcpt_tos == [credential.recipient_email]
                assert got.subject == "Je hebt een digitaal bewijs gekregen: Basiszorg"
                assert credential.organisation.name in got.body
                assert credential.recipient_name in got.body
                if credential.recipient_email == KNOWN:
                    # A learner with an account has it in the passport already.
                    assert item.claim_token is None and credential.recipient_user_id is not None
                    assert f"{BASE_URL}/passport" in got.body
                    assert "/claim/" not in got.body
                else:
                    # Anyone else gets the link that claims this very credential.
                    assert item.claim_token
                    assert f"{BASE_URL}/claim/{item.claim_token}\n" in got.body
                    assert hash_secret(item.claim_token) == credential.claim_token_hash
                    assert "/passport" not in got.body

    def test_more_than_a_batch_is_one_connection_per_batch(self, smtp_app, demo, smtp_server,
                                                           monkeypatch):
        server, _ = smtp_server
        monkeypatch.setattr(notifications, "BATCH", 2)
        emails = _new_addresses(5)
        with smtp_app.app_context():
            notifications.notify_issued(_issue(emails))
        assert server.to() == emails  # in issuing order
        assert server.session_count == 3
        per_session = [sum(r.session is s for r in server.received) for s in server.sessions]
        assert per_session == [2, 2, 1]

    def test_old_single_email_job_still_sends(self, smtp_app, demo, smtp_server):
        server, _ = smtp_server
        [email] = _new_addresses(1)
        with smtp_app.app_context():
            [item] = _issue([email])
            notifications.send_issued_email(item.id, item.claim_token)
        [got] = server.received
        assert got.to == email
        assert f"{BASE_URL}/claim/{item.claim_token}" in got.body

    def test_credentials_gone_by_send_time_are_skipped(self, smtp_app, demo, smtp_server):
        server, _ = smtp_server
        emails = _new_addresses(2)
        with smtp_app.app_context():
            issued = _issue(emails)
            missing = max(item.id for item in issued) + 1000
            notifications.send_issued_emails([[missing, "gone"], *_items(issued)])
        assert server.to() == emails

    def test_inline_failure_part_way_reaches_the_caller(self, smtp_app, demo, smtp_server):
        server, _ = smtp_server
        emails = _new_addresses(4)
        with smtp_app.app_context():
            issued = _issue(emails)
            server.fail_after = 2
            with pytest.raises(MailBatchError) as info:
                notifications.notify_issued(issued)
        assert info.value.sent == 2
        assert server.to() == emails[:2]


class TestQueued:
    def test_600_new_credentials_make_three_jobs_of_at_most_250(self, queued, smtp_server):
        server, _ = smtp_server
        issued = [Issued(id=i, uuid=f"u{i}", dedup_key=None, recipient_user_id=None,
                         achievement=None, claim_token=f"token-{i}")  # type: ignore[arg-type]
                  for i in range(1, 601)]
        items = _items(issued)
        with queued["app"].app_context():
            notifications.notify_issued(issued)
        found = _jobs(queued["queue"])
        assert [job.func_name for job in found] == ["badges.kernel.jobs.run_in_app"] * 3
        assert [job.args[0] for job in found] == [SEND] * 3
        assert [len(job.args[1]) for job in found] == [250, 250, 100]
        assert [item for job in found for item in job.args[1]] == items  # all, once, in order
        assert all(job.retries_left == 3 for job in found)
        assert server.session_count == 0  # nothing is sent until a worker runs the jobs

    @pytest.mark.parametrize("refused", [None, 1])
    def test_batch_stopped_part_way_queues_exactly_the_rest(self, queued, demo, smtp_server,
                                                            refused):
        server, _ = smtp_server
        emails = _new_addresses(6)
        if refused is not None:  # refused for good: skipped, and not tried again later
            server.rcpt_replies = {emails[refused]: "550 5.1.1 No such user"}
        with queued["app"].app_context():
            issued = _issue(emails)
            items = _items(issued)
            notifications.notify_issued(issued)
        [first] = _jobs(queued["queue"])
        assert first.args[1] == items

        server.fail_after = 2  # the server goes away after two accepted messages
        _work(queued, max_jobs=1)
        assert first.get_status(refresh=True) == "finished"  # handled: nothing for RQ to retry
        expected = [e for i, e in enumerate(emails) if i != refused]
        assert server.to() == expected[:2]
        dealt_with = 3 if refused is not None else 2
        [rest] = _jobs(queued["queue"])
        assert rest.id != first.id
        assert rest.args == (SEND, items[dealt_with:])

        server.fail_after = None  # back again
        _work(queued)
        assert rest.get_status(refresh=True) == "finished"
        assert _jobs(queued["queue"]) == []
        assert Counter(server.to()) == Counter(expected)  # every one once, nobody twice
        assert server.session_count == 2

    def test_called_directly_the_rest_is_queued_not_raised(self, queued, demo, smtp_server):
        server, _ = smtp_server
        emails = _new_addresses(5)
        with queued["app"].app_context():
            items = _items(_issue(emails))
            server.fail_after, server.fail_how = 3, "hangup"
            notifications.send_issued_emails(items)  # no exception
        assert server.to() == emails[:3]
        [rest] = _jobs(queued["queue"])
        assert rest.args == (SEND, items[3:])

    def test_nothing_sent_is_an_error_for_rq_to_retry(self, queued, demo, smtp_server):
        server, _ = smtp_server
        emails = _new_addresses(3)
        server.fail_after = 0  # not even the first mail goes out
        with queued["app"].app_context():
            items = _items(_issue(emails))
            with pytest.raises(MailBatchError) as info:
                notifications.send_issued_emails(items)
            assert info.value.sent == 0
            assert _jobs(queued["queue"]) == []  # the job itself is retried, no new one

            notifications.notify_issued([])  # nothing issued: no job
            assert _jobs(queued["queue"]) == []
            jobs.enqueue(SEND, items)
        [job] = _jobs(queued["queue"])
        _work(queued, max_jobs=1)
        job.refresh()
        assert job.get_status() == "scheduled"  # RQ retries it later
        assert job.retries_left == 2
        assert job.id in queued["queue"].scheduled_job_registry.get_job_ids()
        assert _jobs(queued["queue"]) == []
        assert server.received == []
