"""Bulk issuing: upload a CSV, preview it, then issue every valid row as a job.

Invariants:
- A row is issued at most once, ever: each chunk goes through
  ``issuing.issue_many`` with ``dedup_key(email, achievement, period)``, and a
  chunk's credentials and its rows' new states commit in one transaction.
  Re-uploading a file skips what was issued ("al uitgegeven"); a job killed
  half-way resumes from its still-``pending`` rows when run again.
- Emails are queued only after the chunk they belong to has committed.
- Jobs take ids only (``run_job(job_id)``), so RQ can retry them elsewhere.
- With a queue, a job of more than ``CHUNK`` pending rows is split: ``run_job``
  enqueues one ``run_chunk`` per range of ``CHUNK`` pending lines, so several
  workers (on several machines) issue it at once. Ranges do not overlap; a
  chunk run again (RQ retry, requeue) only sees its still-``pending`` rows, and
  the dedup keys stop doubles should two runs meet. Whichever chunk finds no
  pending rows left after its commit marks the job done (once: a conditional
  update), and each chunk leaves a ``bulk.chunk`` audit row naming its worker.
- A running job names its owner (``host:pid``, the last process to commit a
  chunk; none while a split job's chunks wait on the queue) and beats
  (``heartbeat_at``) at every chunk it commits. One whose owner is gone from this host, or whose
  heartbeat is older than ``BULK_STALE_SECONDS``, is *interrupted*: the issuer
  (or ``badges jobs requeue``) resumes it, without Redis too.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError

from badges.accounts.events import AccountDeleted
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing import approvals, rules
from badges.issuing import services as issuing
from badges.issuing.bulk_csv import parse, parse_date, problems_csv
from badges.issuing.models import BulkJob, BulkJobState, BulkRow, BulkRowState, Credential
from badges.kernel import audit, events, jobs
from badges.kernel.bulk_rows import insert_rows, update_by_id
from badges.kernel.database import fresh_plans
from badges.kernel.db import db
from badges.kernel.errors import Conflict, NotFound, ServiceError
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation

log = logging.getLogger("badges.bulk")

CHUNK = 250
MAX_CONFLICT_RETRIES = 3


def create_job(org: Organisation, raw: bytes, *, filename: str = "",
               uploaded_by_id: int | None = None, source: str = "web",
               api_token_id: int | None = None) -> BulkJob:
    """Parse and check a file, store it as a job in ``preview``; commits.

    Also erases the organisation's rows past their retention (opportunistically,
    besides ``badges jobs purge`` from cron).
    """
    parsed = parse(org, raw)
    _purge(org)
    job = BulkJob(
        organisation_id=org.id, uploaded_by_id=uploaded_by_id, source=source,
        api_token_id=api_token_id,
        filename=(filename or "upload.csv")[:255], sha256=hashlib.sha256(raw).hexdigest(),
        encoding=parsed.encoding, warnings=parsed.warnings, state=BulkJobState.PREVIEW,
        total=len(parsed.rows),
        invalid=sum(1 for r in parsed.rows if r.errors),
    )
    job.valid = job.total - job.invalid
    db.session.add(job)
    db.session.flush()
    insert_rows(db.session, BulkRow.__table__, [
        {"job_id": job.id, "line": r.line, "data": r.data, "errors": r.errors,
         "state": BulkRowState.INVALID if r.errors else BulkRowState.PENDING,
         "achievement_id": r.achievement.id if r.achievement and not r.errors else None,
         "credential_id": None}
        for r in parsed.rows
    ])
    audit.record("bulk.upload", actor_id=uploaded_by_id, organisation_id=org.id,
                 subject_type="bulk_job", subject_id=job.uuid, filename=job.filename,
                 total=job.total, invalid=job.invalid)
    db.session.commit()
    return job


def _purge(org: Organisation | None = None) -> list[str]:
    """Erase the personal cells of jobs quiet for longer than the retention period.

    A job's last sign of life is when it finished, its heartbeat, or its upload;
    a job still running beats, so it is never purged under its owner. Counts,
    row states, line numbers and links to the issued credentials stay.
    """
    days = current_app.config["BADGES"]["BULK_RETENTION_DAYS"]
    cutoff = utcnow() - timedelta(days=days)
    last = func.coalesce(BulkJob.finished_at, BulkJob.heartbeat_at, BulkJob.created_at)
    query = db.select(BulkJob.id, BulkJob.uuid).where(BulkJob.purged_at.is_(None), last < cutoff)
    if org is not None:
        query = query.where(BulkJob.organisation_id == org.id)
    found = db.session.execute(query).all()
    if not found:
        return []
    ids = [job_id for job_id, _ in found]
    db.session.execute(update(BulkRow).where(BulkRow.job_id.in_(ids))
                       .values(data={}, errors=[]).execution_options(synchronize_session=False))
    db.session.execute(update(BulkJob).where(BulkJob.id.in_(ids)).values(purged_at=utcnow())
                       .execution_options(synchronize_session=False))
    return [job_uuid for _, job_uuid in found]


def purge_expired() -> list[str]:
    """``badges jobs purge``: erase rows past retention everywhere; returns the jobs' ids."""
    purged = _purge()
    if purged:
        audit.record("bulk.purge", jobs=len(purged))
    db.session.commit()
    return purged


def purge_person(emails: list[str], credential_ids: list[int]) -> None:
    """Erase the rows about a person who deleted their account (by address or credential)."""
    addresses = [e.lower() for e in emails if e]
    clauses = []
    if addresses:
        clauses.append(func.lower(BulkRow.data["email"].as_string()).in_(addresses))
    if credential_ids:
        clauses.append(BulkRow.credential_id.in_(credential_ids))
    if not clauses:
        return
    db.session.execute(update(BulkRow).where(db.or_(*clauses)).values(data={}, errors=[])
                       .execution_options(synchronize_session=False))
    db.session.commit()


def on_account_deleted(event: AccountDeleted) -> None:
    purge_person(list(event.emails), list(event.credential_ids))


def get_job(org: Organisation, job_uuid: str) -> BulkJob:
    """A job of this organisation; another organisation's job does not exist (404)."""
    job = db.session.scalar(db.select(BulkJob).filter_by(uuid=job_uuid, organisation_id=org.id))
    if job is None:
        raise NotFound("Deze bulkopdracht bestaat niet.")
    return job


def discard_job(job: BulkJob, *, actor_id: int | None) -> None:
    """Throw away an upload that issued nothing yet, with its rows (names, addresses)."""
    if job.state != BulkJobState.PREVIEW:
        raise Conflict(_("Deze upload is al gestart en kan niet meer weg."))
    audit.record("bulk.discard", actor_id=actor_id, organisation_id=job.organisation_id,
                 subject_type="bulk_job", subject_id=job.uuid, filename=job.filename,
                 total=job.total)
    db.session.execute(delete(BulkRow).where(BulkRow.job_id == job.id))
    db.session.delete(job)
    db.session.commit()


def recent_jobs(org: Organisation, limit: int = 10) -> list[BulkJob]:
    """The organisation's latest uploads, newest first."""
    return list(db.session.scalars(db.select(BulkJob).filter_by(organisation_id=org.id)
                                   .order_by(BulkJob.created_at.desc()).limit(limit)))


def reloaded(job: BulkJob) -> BulkJob:
    """``job`` as the database has it now (after a worker, or the inline run, moved it on)."""
    db.session.refresh(job)
    return job


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _pid_gone(owner: str) -> bool:
    """True when ``owner`` ("host:pid") is a process on this host that no longer exists."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only its heartbeat can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def _stale_before() -> datetime:
    return utcnow() - timedelta(seconds=current_app.config["BADGES"]["BULK_STALE_SECONDS"])


def interrupted(job: BulkJob) -> bool:
    """Whether a queued or running job has lost the process that ran it.

    A job waiting on the Redis queue has no owner yet and is the queue's to run;
    an inline job is owned from the moment it is started.
    """
    if job.state not in (BulkJobState.QUEUED, BulkJobState.RUNNING):
        return False
    if job.owner is None and jobs.queued():
        return False
    if job.owner and _pid_gone(job.owner):
        return True
    return job.heartbeat_at is None or job.heartbeat_at < _stale_before()


def start_job(job: BulkJob, *, actor_id: int | None = None) -> None:
    """Queue the issuing (inline when there is no queue: it runs before this returns).

    A job that failed half-way, or whose process died (interrupted), can be
    started again: it resumes from its pending rows.
    """
    resuming = interrupted(job)
    if job.state not in (BulkJobState.PREVIEW, BulkJobState.FAILED) and not resuming:
        raise ServiceError("Deze bulkopdracht is al gestart.", code="already_started")
    if job.purged_at is not None:
        raise ServiceError("De gegevens van deze bulkopdracht zijn na de bewaartermijn "
                           "verwijderd. Upload het bestand opnieuw.", code="purged")
    if job.valid == 0:
        raise ServiceError("Er zijn geen geldige regels om uit te geven.", code="nothing_valid")
    if job.state == BulkJobState.PREVIEW:
        # rows of an achievement withdrawn since the preview become invalid anyway (below)
        achievements = list(db.session.scalars(db.select(Achievement).where(
            Achievement.state == AchievementState.PUBLISHED, Achievement.id.in_(
                db.select(BulkRow.achievement_id).filter_by(job_id=job.id,
                                                            state=BulkRowState.PENDING)))))
        if approvals.hold_job(job, job.organisation, achievements, job.uploaded_by_id,
                              job.api_token_id):
            return  # waits as a whole for a second person; approving queues it
    # Take the job over only if nobody did since we looked (two clicks, two issuers).
    taken: Any = db.session.execute(
        update(BulkJob).where(BulkJob.id == job.id, BulkJob.state == job.state,
                              _same(BulkJob.owner, job.owner),
                              _same(BulkJob.heartbeat_at, job.heartbeat_at))
        .values(state=BulkJobState.QUEUED, owner=None if jobs.queued() else _me(),
                heartbeat_at=utcnow())
        .execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        db.session.rollback()
        raise ServiceError("Deze bulkopdracht is al gestart.", code="already_started")
    audit.record("bulk.resume" if resuming else "bulk.start", actor_id=actor_id,
                 organisation_id=job.organisation_id,
                 subject_type="bulk_job", subject_id=job.uuid, valid=job.valid)
    db.session.commit()
    label = audit.current_actor_label()  # an API token's name goes with the job
    if label:
        jobs.enqueue("badges.issuing.bulk:run_job", job.id, actor_label=label)
    else:
        jobs.enqueue("badges.issuing.bulk:run_job", job.id)


def _same(column: Any, value: Any) -> Any:
    """``column = value``, NULL included."""
    return column.is_(None) if value is None else column == value


def resume_interrupted() -> list[str]:
    """Resume every interrupted job (``badges jobs requeue``); returns their ids."""
    candidates = db.session.scalars(db.select(BulkJob).where(
        BulkJob.state.in_([BulkJobState.QUEUED, BulkJobState.RUNNING]),
        BulkJob.purged_at.is_(None)).order_by(BulkJob.id)).all()
    resumed = []
    for job in candidates:
        if not interrupted(job):
            continue
        try:
            start_job(job)
        except ServiceError as exc:
            log.warning("bulk job %s not resumed: %s", job.uuid, exc.message)
            continue
        resumed.append(job.uuid)
    return resumed


def _request(d: dict[str, Any], achievement: Achievement) -> issuing.IssueRequest:
    until = parse_date(d["valid_until"]) if d.get("valid_until") else None
    evidence = []
    if d.get("evidence_url") or d.get("evidence"):
        evidence.append({"url": d.get("evidence_url") or None,
                         "narrative": d.get("evidence") or None})
    return issuing.IssueRequest(
        achievement=achievement, recipient_email=d["email"], recipient_name=d["name"],
        evidence=evidence, result={"value": d["result"]} if d.get("result") else {},
        assessor=d.get("assessor") or None,
        valid_until=rules.end_of_day(until) if until else None,
        dedup_key=issuing.dedup_key(d["email"], achievement, d.get("period", "")),
    )


@dataclass
class _Chunk:
    """The next pending rows of a job, their credentials being signed."""

    # Ids and requests, not the ORM rows: committing the chunk before expires
    # those, and reading them again would cost a query per row.
    row_ids: list[int]  # still to settle (issued or skipped); withdrawn ones are marked already
    requests: list[issuing.IssueRequest]
    batch: issuing.Batch | None  # None: nothing new to issue among them
    last_line: int

    @property
    def dedup_keys(self) -> set[str]:
        return self.batch.dedup_keys if self.batch else set()

    def cancel(self) -> None:
        if self.batch is not None:
            self.batch.signing.cancel()


def _start_chunk(job: BulkJob, org: Organisation, achievements: dict[int, Achievement],
                 after: _Chunk | None, lines: tuple[int, int] | None = None) -> _Chunk | None:
    """Plan the pending rows after ``after`` (within ``lines``, first and last, when
    given) and start signing them. None when none are left."""
    fresh_plans(db.session)  # each chunk's transaction: its tables grew in the one before
    first, last = lines or (1, None)
    query = (db.select(BulkRow.id, BulkRow.line, BulkRow.data, BulkRow.achievement_id)
             .filter_by(job_id=job.id, state=BulkRowState.PENDING)
             .where(BulkRow.line > (after.last_line if after else first - 1)))
    if last is not None:
        query = query.where(BulkRow.line <= last)
    rows = db.session.execute(query.order_by(BulkRow.line).limit(CHUNK)).all()
    if not rows:
        return None
    usable, withdrawn = [], []
    for r in rows:
        a = achievements.get(r.achievement_id)
        if a is None or a.state != AchievementState.PUBLISHED:
            withdrawn.append({"id": r.id, "state": BulkRowState.INVALID, "errors": [
                {"field": "achievement", "message": (
                    f"Regel {r.line}, kolom prestatie: deze prestatie is niet meer gepubliceerd.")}]})
        else:
            usable.append(r)
    if withdrawn:  # between preview and issuing
        update_by_id(db.session, BulkRow.__table__, withdrawn)
        # in SQL: other workers' chunks of this job change the same counts
        job.valid = BulkJob.valid - len(withdrawn)
        job.invalid = BulkJob.invalid + len(withdrawn)
    requests = [_request(r.data, achievements[r.achievement_id]) for r in usable]
    pending = issuing.start_batch(org, requests, actor_id=job.uploaded_by_id,
                                  taken=after.dedup_keys if after else frozenset(),
                                  api_token_id=job.api_token_id)
    return _Chunk([r.id for r in usable], requests, pending, rows[-1].line)


def _finish_chunk(job: BulkJob, chunk: _Chunk, lines: tuple[int, int] | None = None) -> None:
    """Store the chunk's credentials and its rows' new states in one commit, then tell people.

    ``lines``: the last chunk of a queue job's range; its ``bulk.chunk`` audit row commits
    with these rows (recorded after the mails, another worker could already have marked
    the job done and someone read a log without it).
    """
    done = issuing.finish_batch(chunk.batch, objects=False) if chunk.batch else []
    by_key = {item.dedup_key: item.id for item in done}
    outcomes = []
    for row_id, req in zip(chunk.row_ids, chunk.requests, strict=True):
        credential_id = by_key.pop(req.dedup_key, None)
        # no credential: al uitgegeven (same person × achievement × period)
        outcomes.append({"id": row_id, "credential_id": credential_id,
                         "state": BulkRowState.ISSUED if credential_id else BulkRowState.SKIPPED})
    update_by_id(db.session, BulkRow.__table__, outcomes)  # one statement, not one per row
    # in SQL, not read-modify-write: other workers' chunks of this job add theirs
    job.issued = BulkJob.issued + len(done)
    job.skipped = BulkJob.skipped + (len(outcomes) - len(done))
    job.owner, job.heartbeat_at = _me(), utcnow()  # this owner is alive and moving
    if lines is not None:
        audit.record("bulk.chunk", organisation_id=job.organisation_id, subject_type="bulk_job",
                     subject_id=job.uuid, first=lines[0], last=lines[1], worker=jobs.worker_name())
    # Also expires the loaded rows, whose states changed in SQL; then the chunk's
    # credentials are announced (CredentialsIssued), 250 mails to a job.
    events.commit()


def _issue_pending(job: BulkJob, org: Organisation, achievements: dict[int, Achievement],
                   lines: tuple[int, int] | None = None) -> None:
    """Issue every pending row (of ``lines``, when given), two chunks in flight.

    While the workers sign chunk *n + 1*, this process stores chunk *n* and
    commits it with its rows' states (the plan of *n + 1*, its reserved
    status-list indexes, commits with it; were the run to stop there, those
    indexes stay unused and its rows stay pending).
    """
    inflight: _Chunk | None = None
    following: _Chunk | None = None
    conflicts = 0
    while True:
        try:
            following = _start_chunk(job, org, achievements, inflight, lines)
            if inflight is not None:
                _finish_chunk(job, inflight, lines if following is None else None)
            if following is None:
                return
            inflight, following = following, None
        except (IntegrityError, Conflict):
            # Another run issued one of these keys at the same moment: start
            # again from the pending rows; the dedup check now sees and skips it.
            _cancel(inflight, following)
            inflight = following = None
            db.session.rollback()
            conflicts += 1
            if conflicts > MAX_CONFLICT_RETRIES:
                raise
        except BaseException:
            _cancel(inflight, following)
            raise


def _cancel(*chunks: _Chunk | None) -> None:
    """Stop signing what will not be stored."""
    for chunk in chunks:
        if chunk is not None:
            chunk.cancel()


def run_job(job_id: int, actor_label: str | None = None) -> None:
    """Issue every pending row of a job, chunk by chunk. Safe to run again after a crash.

    With a queue and more than one chunk of pending rows, it enqueues the
    chunks instead (``run_chunk``), for every worker to take.

    ``actor_label`` names the API token that started it in the audit rows the job writes."""
    if actor_label:
        audit.acting_as(actor_label)
    job = db.session.get(BulkJob, job_id)
    if job is None or job.state in (BulkJobState.PREVIEW, BulkJobState.DONE):
        return
    if jobs.queued() and _split(job, actor_label):
        return
    _run(job_id, None)


def _split(job: BulkJob, actor_label: str | None) -> bool:
    """Enqueue a ``run_chunk`` per ``CHUNK`` pending lines; False when one chunk is all."""
    lines = db.session.scalars(db.select(BulkRow.line).filter_by(
        job_id=job.id, state=BulkRowState.PENDING).order_by(BulkRow.line)).all()
    if len(lines) <= CHUNK:
        return False
    ranges = [(lines[i], lines[min(i + CHUNK, len(lines)) - 1]) for i in range(0, len(lines), CHUNK)]
    job.state, job.error = BulkJobState.RUNNING, None
    # No owner: the chunks wait on the queue, which runs them (and requeues a dead worker's).
    job.owner, job.heartbeat_at = None, utcnow()
    job.started_at = job.started_at or utcnow()
    audit.record("bulk.split", actor_id=job.uploaded_by_id, organisation_id=job.organisation_id,
                 subject_type="bulk_job", subject_id=job.uuid, chunks=len(ranges))
    db.session.commit()
    for first, last in ranges:
        if actor_label:
            jobs.enqueue("badges.issuing.bulk:run_chunk", job.id, first, last,
                         actor_label=actor_label)
        else:
            jobs.enqueue("badges.issuing.bulk:run_chunk", job.id, first, last)
    return True


def run_chunk(job_id: int, first: int, last: int, actor_label: str | None = None) -> None:
    """Issue the pending rows of lines ``first``..``last`` of a split job (a queue job)."""
    if actor_label:
        audit.acting_as(actor_label)
    job = db.session.get(BulkJob, job_id)
    if job is None or job.state in (BulkJobState.PREVIEW, BulkJobState.DONE):
        return
    _run(job_id, (first, last))


def _run(job_id: int, lines: tuple[int, int] | None) -> None:
    """Issue the pending rows (of ``lines``); mark the job done when none are left."""
    job = cast(BulkJob, db.session.get(BulkJob, job_id))
    job.state, job.error = BulkJobState.RUNNING, None
    job.owner, job.heartbeat_at = _me(), utcnow()
    job.started_at = job.started_at or utcnow()
    db.session.commit()
    org = job.organisation
    pending = db.select(BulkRow.achievement_id).filter_by(job_id=job.id, state=BulkRowState.PENDING)
    if lines is not None:
        pending = pending.where(BulkRow.line.between(*lines))
    ids = db.session.scalars(pending.distinct()).all()
    achievements = {a.id: a for a in db.session.scalars(
        db.select(Achievement).where(Achievement.id.in_([i for i in ids if i is not None])))}
    try:
        _issue_pending(job, org, achievements, lines)
        _finish_if_complete(job, release=lines is not None)
    except Exception as exc:
        db.session.rollback()
        log.exception("bulk job %s failed", job_id)
        job = cast(BulkJob, db.session.get(BulkJob, job_id))
        job.state, job.error = BulkJobState.FAILED, f"{type(exc).__name__}: {exc}"[:1000]
        _recount(job)
        db.session.commit()
        if jobs.queued():
            raise  # let RQ retry; the retry resumes from the pending rows


def _finish_if_complete(job: BulkJob, *, release: bool = False) -> None:
    """Mark the job done when no pending rows are left, exactly once.

    Each chunk looks after its own commit, so the last of chunks finishing
    together sees all of them; the conditional update lets one of them win.
    ``release``: a chunk's work horse is about to exit; while other chunks are
    left, the job goes back to the queue's care (no owner) unless another
    worker took it over meanwhile, so it is not shown as interrupted.
    """
    left = db.session.scalar(db.select(func.count()).select_from(BulkRow).filter_by(
        job_id=job.id, state=BulkRowState.PENDING)) or 0
    if left:
        if release:
            db.session.execute(update(BulkJob).where(BulkJob.id == job.id, BulkJob.owner == _me())
                               .values(owner=None).execution_options(synchronize_session=False))
        db.session.commit()
        return
    won: Any = db.session.execute(
        update(BulkJob).where(BulkJob.id == job.id, BulkJob.state != BulkJobState.DONE)
        .values(state=BulkJobState.DONE, finished_at=utcnow())
        .execution_options(synchronize_session=False))
    if won.rowcount != 1:
        db.session.rollback()
        return
    db.session.refresh(job)
    _recount(job)
    audit.record("bulk.done", actor_id=job.uploaded_by_id,
                 organisation_id=job.organisation_id, subject_type="bulk_job",
                 subject_id=job.uuid, issued=job.issued, skipped=job.skipped)
    db.session.commit()


def _recount(job: BulkJob) -> None:
    counts = dict(db.session.execute(
        db.select(BulkRow.state, func.count()).filter_by(job_id=job.id).group_by(BulkRow.state)
    ).all())
    job.issued = counts.get(BulkRowState.ISSUED, 0)
    job.skipped = counts.get(BulkRowState.SKIPPED, 0)


@dataclass
class RowPage:
    rows: list[BulkRow]
    page: int
    pages: int
    total: int
    # For the preview: the achievement each row names, and the credential an issued row made.
    achievement_names: dict[int, str] = field(default_factory=dict)
    credential_uuids: dict[int, str] = field(default_factory=dict)


def rows_page(job: BulkJob, page: int = 1, per_page: int = 100, *,
              state: BulkRowState | None = None) -> RowPage:
    """Rows for a page: invalid ones first, then by line number."""
    query = db.select(BulkRow).filter_by(job_id=job.id)
    if state is not None:
        query = query.filter_by(state=state)
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    invalid_first = db.case((BulkRow.state == BulkRowState.INVALID, 0), else_=1)
    rows = db.session.scalars(
        query.order_by(invalid_first, BulkRow.line).offset((page - 1) * per_page).limit(per_page)
    ).all()
    achievement_ids = {r.achievement_id for r in rows if r.achievement_id}
    credential_ids = {r.credential_id for r in rows if r.credential_id}
    names = dict(db.session.execute(db.select(Achievement.id, Achievement.name).where(
        Achievement.id.in_(achievement_ids))).all()) if achievement_ids else {}
    uuids = dict(db.session.execute(db.select(Credential.id, Credential.uuid).where(
        Credential.id.in_(credential_ids))).all()) if credential_ids else {}
    return RowPage(list(rows), page, pages, total, names, uuids)


def problem_rows_csv(job: BulkJob) -> str:
    rows = db.session.scalars(
        db.select(BulkRow).filter_by(job_id=job.id, state=BulkRowState.INVALID)
        .order_by(BulkRow.line)
    ).all()
    return problems_csv(list(rows))


def status(job: BulkJob) -> dict[str, Any]:
    """What the progress page and the API show."""
    counts = job.counts
    done = counts["issued"] + counts["skipped"]
    stopped = interrupted(job)
    return {
        "id": job.uuid, "state": "interrupted" if stopped else job.state.value,
        "counts": counts,
        "progress": round(100 * done / job.valid) if job.valid else 100,
        # finished: nothing is moving any more (the page reloads to show the outcome)
        "finished": stopped or job.state in (BulkJobState.DONE, BulkJobState.FAILED),
        "interrupted": stopped,
        "error": job.error,
    }
