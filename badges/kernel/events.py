"""Domain events and the unit of work that publishes them.

A use case *records* what happened (``record(CredentialsIssued(...))``) inside
its transaction and ends with :func:`commit`. Only once the transaction has
committed are the events published to their handlers (mail, trajectory
awards, statistics, webhooks), so no handler ever acts on something that was
rolled back, and no caller has to remember the side effects of what it did.

Handlers run in order of subscription, after the commit and in the same
session; a handler may itself record events and commit, and those are
published after the ones before them (breadth first, never re-entrant).
Subscriptions are made once at start-up, in ``badges.app.wiring``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from badges.kernel.db import db

log = logging.getLogger("badges.events")

E = TypeVar("E")
Handler = Callable[[Any], None]

_handlers: defaultdict[type, list[Handler]] = defaultdict(list)

RECORDED = "badges.events.recorded"  # in this transaction, not yet committed
COMMITTED = "badges.events.committed"  # committed, waiting to be published
MUTED = "badges.events.muted"
PUBLISHING = "badges.events.publishing"


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Call ``handler(event)`` for every committed event of ``event_type`` (idempotent)."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def handlers_of(event_type: type) -> list[Handler]:
    return list(_handlers[event_type])


def record(event: object) -> None:
    """Remember ``event``; it is published after the current transaction commits."""
    info = db.session.info
    if not info.get(MUTED):
        info.setdefault(RECORDED, []).append(event)


def commit() -> None:
    """End the unit of work: commit, then publish what the transaction recorded."""
    db.session.commit()
    publish_committed()


def publish_committed() -> None:
    """Publish committed events, oldest first; events their handlers commit follow."""
    info = db.session.info
    if info.get(PUBLISHING):
        return  # the outer loop picks up what this handler's commit added
    info[PUBLISHING] = True
    try:
        while info.get(COMMITTED):
            published = info[COMMITTED].pop(0)
            for handler in _handlers[type(published)]:
                handler(published)
    finally:
        info[PUBLISHING] = False


@contextmanager
def muted() -> Iterator[None]:
    """Record nothing inside: for loading demo data, which is nobody's news."""
    info = db.session.info
    before = info.get(MUTED, False)
    info[MUTED] = True
    try:
        yield
    finally:
        info[MUTED] = before


@sa_event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    recorded = session.info.pop(RECORDED, None)
    if recorded:
        session.info.setdefault(COMMITTED, []).extend(recorded)


@sa_event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.nested:
        return  # a savepoint: the outer transaction may still commit what it recorded
    session.info.pop(RECORDED, None)


def init_app(app: Flask) -> None:
    """A safety net: events committed by a plain ``db.session.commit()`` still go out."""

    @app.teardown_appcontext
    def _publish_left_over(exc: BaseException | None) -> None:
        if exc is None and db.session.info.get(COMMITTED):
            log.warning("events committed outside events.commit(); published at teardown")
            publish_committed()
