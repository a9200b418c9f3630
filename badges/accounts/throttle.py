"""Slow down password guessing per account *and* source; never lock an account.

After ``FREE_FAILURES`` failed logins for one email address from one source
(IP address), that source must wait 2, 4, 8, ... seconds (at most
``MAX_WAIT``) before its next attempt is even checked. Other sources are not
slowed down, so an outsider cannot keep the owner out by failing on purpose:
the learner at home, or on the school network after a prankster at a café,
logs in as usual. A successful login clears its source's record; a new
password clears every source's. Records of sources that went quiet are
forgotten after ``FORGET_AFTER``.

The records live in the database, so every worker and machine sees the same
counts. The caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from badges.accounts.models import LoginThrottle
from badges.kernel.extensions import db

FREE_FAILURES = 4  # the 5th failure starts the waiting: 2 s, then 4 s, 8 s, ...
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(days=1)
_MAX_EXPONENT = 20  # 2**20 s is far beyond MAX_WAIT; keeps timedelta small


def _find(email: str, source: str) -> LoginThrottle | None:
    return db.session.scalar(db.select(LoginThrottle).filter_by(email=email, source=source))


def wait_for(failures: int) -> timedelta:
    """How long a source waits after its ``failures``-th failure in a row."""
    extra = failures - FREE_FAILURES
    if extra <= 0:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(extra, _MAX_EXPONENT)), MAX_WAIT)


def must_wait(email: str, source: str, now: datetime) -> bool:
    """True while this source has to wait before trying this email again."""
    row = _find(email, source)
    return row is not None and row.wait_until is not None and row.wait_until > now


def record_failure(email: str, source: str, now: datetime) -> None:
    row = _find(email, source)
    if row is None:
        row = LoginThrottle(email=email, source=source, failures=0, last_failure_at=now)
        try:
            with db.session.begin_nested():  # another worker may have added it just now
                db.session.add(row)
        except IntegrityError:
            row = _find(email, source)
            assert row is not None
    row.failures += 1
    row.last_failure_at = now
    delay = wait_for(row.failures)
    row.wait_until = now + delay if delay else None
    db.session.execute(db.delete(LoginThrottle).where(
        LoginThrottle.last_failure_at < now - FORGET_AFTER))


def clear(email: str, source: str | None = None) -> None:
    """Forget the failures for ``email`` from ``source`` (every source when None)."""
    query = db.delete(LoginThrottle).where(LoginThrottle.email == email)
    if source is not None:
        query = query.where(LoginThrottle.source == source)
    db.session.execute(query)
