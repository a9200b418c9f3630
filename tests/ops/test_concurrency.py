"""Concurrent issuing loses nothing, duplicates nothing and hands out no index twice.

Four threads issue batches (``issue_many``) for the same organisation at the
same time while a fifth issues single credentials, each in its own app
context (so its own session and database connection), against committed
data. The organisation's demo keys are retired first, so the threads also
race to create its next signing key. Meaningful on SQLite (writers serialise
on ``BEGIN IMMEDIATE``); CI runs it again on PostgreSQL, where the row locks
in status_lists.py and issuing.py are what keep it correct.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest

from badges.catalogue.models import Achievement
from badges.demo.loader import load_demo
from badges.issuing import services as issuing
from badges.issuing.models import Credential, SigningKey, StatusList
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload

pytestmark = pytest.mark.postgres

ORG = "maasvallei-zorg-welzijn"
DOMAIN = "concurrent.example"
BATCH_THREADS, BATCHES, BATCH_SIZE, SINGLES = 4, 3, 12, 12


def _org_and_achievement() -> tuple[Organisation, Achievement]:
    org = db.session.scalar(db.select(Organisation).filter_by(slug=ORG))
    ach = db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id, name="Basiszorg"))
    return org, ach


def _requests(ach: Achievement, prefix: str, count: int) -> list[issuing.IssueRequest]:
    return [issuing.IssueRequest(achievement=ach, recipient_email=f"{prefix}-{n}@{DOMAIN}",
                                 recipient_name=f"Lerende {prefix} {n}",
                                 dedup_key=issuing.dedup_key(f"{prefix}-{n}@{DOMAIN}", ach))
            for n in range(count)]


@pytest.fixture
def world(app, committed_db):
    with app.app_context():
        load_demo()
        org, _ = _org_and_achievement()
        for key in db.session.scalars(db.select(SigningKey).filter_by(organisation_id=org.id)):
            key.retired_at = utcnow()
        db.session.commit()
    return app


def _mine(org: Organisation) -> list[Credential]:
    return list(db.session.scalars(db.select(Credential).filter(
        Credential.organisation_id == org.id, Credential.recipient_email.like(f"%@{DOMAIN}"))))


def _run_threads(app, work: dict[str, Callable[[list[str]], None]]) -> tuple[dict[str, list[str]], list[BaseException]]:
    told: dict[str, list[str]] = {name: [] for name in work}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(work))

    def runner(name: str, job) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                job(told[name])
                db.session.remove()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=runner, args=item) for item in work.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a worker thread hung"
    return told, errors


def _batch_job(thread: int):
    def job(told: list[str]) -> None:
        for batch in range(BATCHES):
            org, ach = _org_and_achievement()
            done = issuing.issue_many(org, _requests(ach, f"t{thread}b{batch}", BATCH_SIZE))
            told += [item.credential.uuid for item in done]
    return job


def _single_job(told: list[str]) -> None:
    for n in range(SINGLES):
        org, ach = _org_and_achievement()
        told.append(issuing.issue(org, _requests(ach, f"single{n}", 1)[0]).credential.uuid)


def test_concurrent_issuing_loses_and_duplicates_nothing(world):
    app = world
    work = {f"batch{i}": _batch_job(i) for i in range(BATCH_THREADS)} | {"single": _single_job}
    told, errors = _run_threads(app, work)
    assert errors == []
    expected = BATCH_THREADS * BATCHES * BATCH_SIZE + SINGLES
    for name, uuids in told.items():
        assert len(uuids) == (SINGLES if name == "single" else BATCHES * BATCH_SIZE), name
    all_told = [u for uuids in told.values() for u in uuids]
    assert len(set(all_told)) == expected

    with app.app_context():
        org, _ = _org_and_achievement()
        stored = _mine(org)
        everything = list(db.session.scalars(db.select(Credential).filter_by(organisation_id=org.id)))
        assert {c.uuid for c in stored} == set(all_told)
        assert len(stored) == expected
        # One signing key, and no index handed out twice (in the rows and the documents).
        assert db.session.scalar(db.select(db.func.count(SigningKey.id)).filter_by(
            organisation_id=org.id, retired_at=None)) == 1
        assert len({c.signing_key_id for c in stored}) == 1
        for column in ("revocation", "suspension"):
            pairs = Counter((getattr(c, f"{column}_list_id"), getattr(c, f"{column}_index"))
                            for c in everything)
            assert max(pairs.values()) == 1, column
            assert all(None not in pair for pair in pairs)
        lists = {row.id: row for row in db.session.scalars(
            db.select(StatusList).filter_by(organisation_id=org.id))}
        seen: set[tuple[str, str]] = set()
        for cred in stored:
            entry, suspension = cred.document["credentialStatus"]
            assert (entry["statusPurpose"], suspension["statusPurpose"]) == (
                "revocation", "suspension")
            assert int(suspension["statusListIndex"]) == cred.suspension_index
            row = lists[cred.revocation_list_id]
            assert entry["statusListCredential"].endswith(row.uuid)
            assert int(entry["statusListIndex"]) == cred.revocation_index
            key = (entry["statusListCredential"], entry["statusListIndex"])
            assert key not in seen
            seen.add(key)
        # Every list's counter covers exactly what it handed out.
        for row in lists.values():
            used = sum(1 for c in everything
                       if row.id in (c.revocation_list_id, c.suspension_list_id))
            assert row.allocated == used
        # No half-written credential: every stored one is signed and verifies.
        for cred in stored:
            report = verify_upload(cred.document)
            assert report["verdict"] == "valid", (cred.uuid, report)


def test_same_batch_uploaded_three_times_at_once_is_issued_once(world):
    """A CSV re-uploaded (or an API call retried) while the first run is still going."""
    app = world

    def job(told: list[str]) -> None:
        org, ach = _org_and_achievement()
        told += [item.credential.uuid for item in issuing.issue_many(org, _requests(ach, "dup", 10))]

    told, errors = _run_threads(app, {f"upload{i}": job for i in range(3)})
    assert errors == []
    all_told = [u for uuids in told.values() for u in uuids]
    assert len(all_told) == len(set(all_told)) == 10
    with app.app_context():
        org, _ = _org_and_achievement()
        assert len(_mine(org)) == 10
