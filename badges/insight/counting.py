"""Keeping the rollups (``DailyCount``) up to date as things happen.

Event handlers (wired in ``badges.app.wiring``) count after the change has committed:
issued (and expiring, on the day validity ends), claimed (and the seconds it took), revoked,
suspended, reinstated, shared, viewed. A handler that fails after that commit loses its
count, never the change itself; ``badges stats rebuild`` recounts what the credentials
table can tell (everything but shares, views and verifications).

Verifications are the hot path and only read: they are counted in memory and written by a
thread every ``INSIGHT_FLUSH_SECONDS`` (default 5), in a transaction of their own, never in
the verifier's request. An app that stops (``badges.app.shutdown``: a gunicorn worker's
``worker_exit``, a test server, or the process exiting) writes what it holds, then its thread
ends; a process that is killed loses at most those seconds of counts.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import delete, select

from badges.insight.models import DailyCount
from badges.issuing.events import CredentialsDelivered, CredentialsIssued, CredentialStateChanged
from badges.issuing.models import Credential, CredentialState
from badges.kernel.database import upsert_insert
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.passport.events import CredentialsShared, SharePageViewed

log = logging.getLogger("badges.insight")

Key = tuple[int, int, date, str]  # organisation, achievement, day, metric
UPSERT_ROWS = 5000  # rows per executemany batch


def add(counts: Counter[Key]) -> None:
    """Add to the rollups (by day, week and month) in the current transaction."""
    if not counts:
        return
    table = DailyCount.__table__
    insert = upsert_insert(db.session)
    by_grain: Counter[tuple[int, int, str, date, str]] = Counter()
    for (org, ach, day, metric), n in counts.items():
        for grain, start in periods_of(day):
            by_grain[(org, ach, grain, start, metric)] += n
    rows = [{"organisation_id": org, "achievement_id": ach, "grain": grain, "day": start,
             "metric": metric, "count": n}
            for (org, ach, grain, start, metric), n in sorted(by_grain.items()) if n]
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=["organisation_id", "achievement_id", "grain", "day", "metric"],
        set_={"count": table.c.count + statement.excluded.count})
    # One statement, many parameter sets: compiled once, sent as executemany.
    for offset in range(0, len(rows), UPSERT_ROWS):
        db.session.execute(statement, rows[offset:offset + UPSERT_ROWS])


def periods_of(day: date) -> tuple[tuple[str, date], ...]:
    """The day, its ISO week (from Monday) and its month, each by its first day."""
    return (("d", day), ("w", day - timedelta(days=day.weekday())), ("m", day.replace(day=1)))


def _today() -> date:
    return utcnow().date()


def _day(moment: datetime | None) -> date:
    return (moment or utcnow()).date()


def _credentials(ids: Iterable[int]) -> list[tuple]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return list(db.session.execute(
        select(Credential.id, Credential.organisation_id, Credential.achievement_id,
               Credential.issued_at, Credential.valid_until, Credential.claimed_at)
        .where(Credential.id.in_(wanted))))


def _count_issued(rows: Iterable[tuple]) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for _, org, ach, issued_at, valid_until, claimed_at in rows:
        counts[(org, ach, _day(issued_at), "issued")] += 1
        if valid_until is not None:
            counts[(org, ach, _day(valid_until), "expiring")] += 1
        if claimed_at is not None:  # straight into a confirmed owner's passport
            counts[(org, ach, _day(claimed_at), "claimed")] += 1
    return counts


def _commit(counts: Counter[Key]) -> None:
    if counts:
        add(counts)
        db.session.commit()


def on_issued(event: CredentialsIssued) -> None:
    _commit(_count_issued(_credentials(item.id for item in event.issued)))


def on_delivered(event: CredentialsDelivered) -> None:
    counts: Counter[Key] = Counter()
    for _, org, ach, issued_at, _, claimed_at in _credentials(c.id for c in event.credentials):
        when = claimed_at or utcnow()
        counts[(org, ach, _day(when), "claimed")] += 1
        counts[(org, ach, _day(when), "claim_seconds")] += max(0, int((when - issued_at).total_seconds()))
    _commit(counts)


_STATE_METRIC = {CredentialState.REVOKED: "revoked", CredentialState.SUSPENDED: "suspended",
                 CredentialState.ACTIVE: "reinstated"}


def on_state_changed(event: CredentialStateChanged) -> None:
    counts: Counter[Key] = Counter()
    for _, org, ach, *_ in _credentials([event.credential_id]):
        counts[(org, ach, _today(), _STATE_METRIC[event.state])] += 1
    _commit(counts)


def _per_credential(ids: Iterable[int], metric: str) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for _, org, ach, *_ in _credentials(ids):
        counts[(org, ach, _today(), metric)] += 1
    return counts


def on_shared(event: CredentialsShared) -> None:
    _commit(_per_credential(event.credential_ids, "shared"))


def on_viewed(event: SharePageViewed) -> None:
    _commit(_per_credential(event.credential_ids, "viewed"))


# Verifications: counted in memory, written by a background thread ---------------------------
class _Pending:
    """One app's verification counts not yet written, and the thread of this process that
    writes them (``flusher_pid``: a forked worker starts its own)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, date]] = Counter()  # (credential uuid, day) → checks
        self.lock = threading.Lock()
        self.flusher_pid: int | None = None
        self.flusher: threading.Thread | None = None
        self.stopping = threading.Event()
        self.at_exit: Callable[[], None] | None = None

    def take(self) -> dict[tuple[str, date], int]:
        with self.lock:
            taken = dict(self.counts)
            self.counts.clear()
        return taken


def _pending() -> _Pending:
    return current_app.extensions.setdefault("badges.insight.pending", _Pending())


def verified(credential_uuid: str) -> None:
    """Hook for the verifier: one of our credentials was checked (by whom is not kept).

    The verifier's request only bumps a counter in memory; a thread of this process writes
    them every ``INSIGHT_FLUSH_SECONDS`` (none when 0: tests and the CLI flush themselves).
    """
    pending = _pending()
    with pending.lock:
        pending.counts[(credential_uuid, _today())] += 1
        interval = current_app.config["BADGES"]["INSIGHT_FLUSH_SECONDS"]
        start = bool(interval) and pending.flusher_pid != os.getpid() \
            and not pending.stopping.is_set()
        if start:
            pending.flusher_pid = os.getpid()
    if start:
        _start_flusher(current_app._get_current_object(), pending, interval)  # type: ignore[attr-defined]


def _start_flusher(app: Flask, pending: _Pending, interval: float) -> None:
    """Write every ``interval`` seconds until :func:`stop_flusher` (or this process exits)."""
    stopping = pending.stopping = threading.Event()  # a forked worker's own

    def run() -> None:
        while not stopping.wait(interval):
            _flush_in(app)

    pending.flusher = threading.Thread(target=run, name="insight-flush", daemon=True)
    pending.at_exit = lambda: stop_flusher(app)
    atexit.register(pending.at_exit)  # a process that ends normally writes what it counted
    pending.flusher.start()


def _flush_in(app: Flask) -> None:
    try:
        with app.app_context():
            flush_verifications()
            db.session.remove()
    except Exception:  # a failed write must not end the thread; those counts are lost
        log.exception("writing verification counts failed")


def stop_flusher(app: Flask) -> None:
    """Before ``app`` (or its database) goes away: stop its thread, then write what is left.

    Nothing is written for the app after this; counts made later stay in memory.
    Safe to call more than once, and for an app that never started a thread.
    """
    pending = app.extensions.get("badges.insight.pending")
    if pending is None:
        return
    with pending.lock:
        pending.stopping.set()
        thread, pending.flusher = pending.flusher, None
        at_exit, pending.at_exit = pending.at_exit, None
    if at_exit is not None:
        atexit.unregister(at_exit)
    if thread is not None and thread is not threading.current_thread():
        thread.join()  # a write under way ends first
    if thread is not None:
        _flush_in(app)


def flush_verifications() -> int:
    """Write this app's counted verifications (a transaction of their own); returns how many."""
    taken = _pending().take()
    if not taken:
        return 0
    found = {uuid: (org, ach) for uuid, org, ach in db.session.execute(
        select(Credential.uuid, Credential.organisation_id, Credential.achievement_id)
        .where(Credential.uuid.in_(sorted({uuid for uuid, _ in taken}))))}
    counts: Counter[Key] = Counter()
    for (uuid, day), n in taken.items():
        if uuid in found:
            org, ach = found[uuid]
            counts[(org, ach, day, "verified")] += n
    _commit(counts)
    return sum(taken.values())


def rebuild() -> int:
    """Recount issued, expiring, claimed, revoked and suspended from the credentials table.

    Shares, views and verifications are kept as they are (nothing else records them).
    Revocations and suspensions are dated by their last change. Returns the rows written.
    """
    recount = ("issued", "expiring", "claimed", "claim_seconds", "revoked", "suspended",
               "reinstated")
    db.session.execute(delete(DailyCount).where(DailyCount.metric.in_(recount)))
    counts: Counter[Key] = Counter()
    rows = db.session.execute(
        select(Credential.organisation_id, Credential.achievement_id, Credential.issued_at,
               Credential.valid_until, Credential.claimed_at, Credential.state,
               Credential.state_changed_at)).yield_per(10_000)
    for org, ach, issued_at, valid_until, claimed_at, state, changed_at in rows:
        counts[(org, ach, _day(issued_at), "issued")] += 1
        if valid_until is not None:
            counts[(org, ach, _day(valid_until), "expiring")] += 1
        if claimed_at is not None:
            counts[(org, ach, _day(claimed_at), "claimed")] += 1
            counts[(org, ach, _day(claimed_at), "claim_seconds")] += max(
                0, int((claimed_at - issued_at).total_seconds()))
        if state in (CredentialState.REVOKED, CredentialState.SUSPENDED):
            counts[(org, ach, _day(changed_at or issued_at), _STATE_METRIC[state])] += 1
    add(counts)
    db.session.commit()
    return len(counts)
