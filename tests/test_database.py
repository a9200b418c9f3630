"""Engine settings per backend, read-only views, and the JSON codec of JSON columns.

The backend-specific tests choose by ``db.engine.dialect.name``: the suite runs
on SQLite and again on PostgreSQL (``BADGES_TEST_DATABASE_URL``), and each run
checks what that backend promises.

Transactions and locks can only be seen with real connections, so the tests
about them use ``committed_db`` (no shared test connection, real commits).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from badges.kernel import audit
from badges.kernel.audit import AuditEvent
from badges.kernel.bulk_rows import insert_rows
from badges.kernel.database import dump_json, fresh_plans, load_json, read_only
from badges.kernel.db import db
from badges.kernel.models import utcnow

BIG = 2**70  # beyond the 64 bits orjson handles


def _dialect() -> str:
    return db.engine.dialect.name


# --- SQLite: who holds the write lock -------------------------------------------------


def _sqlite_path() -> str:
    path = db.engine.url.database
    assert path and path != ":memory:"
    return path


def _other_writer_commits() -> bool:
    """Another process's writer: BEGIN IMMEDIATE and one INSERT, without waiting.

    False when the write lock is taken. A plain sqlite3 connection, so neither
    this app's ``begin`` listener nor its context variable applies to it.
    """
    raw = sqlite3.connect(_sqlite_path(), timeout=0, isolation_level=None)
    try:
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return False
        raw.execute("INSERT INTO audit_event (action, subject_type, subject_id, details, created_at) "
                    "VALUES ('other.writer', '', '', '{}', '2026-01-01 00:00:00.000000')")
        raw.execute("COMMIT")
        return True
    finally:
        raw.close()


def _other_writer_events() -> int:
    return db.session.scalar(text("SELECT count(*) FROM audit_event WHERE action = 'other.writer'"))


def _sqlite_reader(during: Callable[[], bool]) -> dict[str, Any]:
    """Read, let ``during`` run while this transaction is open, read again."""
    before = _other_writer_events()
    wrote = during()
    return {"before": before, "wrote": wrote, "after": _other_writer_events(),
            "in_transaction": db.session().in_transaction()}


# --- PostgreSQL: one transaction or one per statement ---------------------------------


def _pg_transaction_ids() -> list[str]:
    """The transaction id of two statements in a row (assigning one if need be)."""
    return [db.session.scalar(text("SELECT pg_current_xact_id()::text")) for _ in range(2)]


@read_only
def _read_only_view(work: Callable[[], Any]) -> Any:
    return work()


def _ordinary_view(work: Callable[[], Any]) -> Any:
    return work()


class TestBackendSettings:
    def test_every_connection_gets_the_backend_settings(self, app, committed_db):
        with app.app_context():
            # Two connections open at once: each went through the connect hook.
            raws = [db.engine.raw_connection() for _ in range(2)]
            try:
                for raw in raws:
                    cursor = raw.cursor()
                    if _dialect() == "sqlite":
                        cursor.execute("PRAGMA journal_mode")
                        assert cursor.fetchone()[0] == "wal"
                        cursor.execute("PRAGMA foreign_keys")
                        assert cursor.fetchone()[0] == 1
                    else:
                        assert _dialect() == "postgresql"
                        # generic plans stay on: the verifier's lookups reuse them
                        cursor.execute("SHOW plan_cache_mode")
                        assert cursor.fetchone()[0] == "auto"
                    cursor.close()
            finally:
                for raw in raws:
                    raw.close()
            # And the connection the app's session works on.
            if _dialect() == "sqlite":
                assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
                assert db.session.scalar(text("PRAGMA foreign_keys")) == 1
            db.session.remove()

    def test_fresh_plans_last_for_one_transaction(self, app, committed_db):
        with app.app_context():
            db.session.remove()
            fresh_plans(db.session)
            if _dialect() == "sqlite":  # nothing to set, and nothing breaks
                assert db.session.scalar(text("SELECT 1")) == 1
            else:
                assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
                db.session.commit()
                assert db.session.scalar(text("SHOW plan_cache_mode")) == "auto"
            db.session.remove()

    def test_read_only_view_holds_no_write_transaction(self, app, committed_db):
        with app.app_context():
            db.session.remove()  # a fresh session, as a request starts with
            if _dialect() == "sqlite":
                seen = _read_only_view(lambda: _sqlite_reader(_other_writer_commits))
                # The reader's transaction was open all along (it still saw its
                # snapshot), yet another connection could take the write lock.
                assert seen == {"before": 0, "wrote": True, "after": 0, "in_transaction": True}
                db.session.remove()
                assert _other_writer_events() == 1
            else:
                assert _dialect() == "postgresql"
                first, second = _read_only_view(_pg_transaction_ids)
                assert first != second  # each statement is a transaction of its own (autocommit)
            db.session.remove()

    def test_ordinary_transaction_is_one_writer_even_after_a_read_only_view(self, app,
                                                                          committed_db):
        with app.app_context():
            db.session.remove()
            # A read-only view first: its setting must not outlive it (context
            # variable reset, pooled connection back out of autocommit).
            _read_only_view(lambda: db.session.scalar(text("SELECT 1")))
            db.session.remove()
            if _dialect() == "sqlite":
                seen = _ordinary_view(lambda: _sqlite_reader(_other_writer_commits))
                assert seen["in_transaction"] and seen["wrote"] is False  # BEGIN IMMEDIATE
                db.session.remove()
                assert _other_writer_commits() is True  # released with the transaction
            else:
                assert _dialect() == "postgresql"
                first, second = _ordinary_view(_pg_transaction_ids)
                assert first == second  # both statements in one transaction
            db.session.remove()

    def test_read_only_view_inside_an_open_transaction_joins_it(self, app, committed_db):
        with app.app_context():
            db.session.remove()
            audit.record("test.uncommitted")
            db.session.flush()
            seen = _read_only_view(lambda: db.session.scalar(
                text("SELECT count(*) FROM audit_event WHERE action = 'test.uncommitted'")))
            assert seen == 1  # it read this transaction's own uncommitted row
            db.session.rollback()
            assert db.session.scalar(text("SELECT count(*) FROM audit_event")) == 0
            db.session.remove()

    def test_read_only_view_in_the_tests_shared_transaction_sees_its_rows(self, app_ctx):
        # Tests bind every session to one connection inside a transaction: a
        # read-only view must work inside it rather than switch connections.
        audit.record("test.shared")
        db.session.flush()
        assert _read_only_view(lambda: db.session.scalar(
            text("SELECT count(*) FROM audit_event WHERE action = 'test.shared'"))) == 1


class TestJsonCodec:
    @pytest.mark.parametrize("value", [
        {"naam": "Zoë Brandsë", "lijst": [1, 2.5, -3, None, True, False], "leeg": {}},
        ["€", "\u2028", "tab\tnieuwe regel\n", "aanhalings\"teken", "\\"],
        {"diep": {"dieper": {"diepst": [[[]]]}}},
        0, 1.5, "tekst", None, [],
        2**64 - 1, -(2**63),  # the edges orjson still reads as integers
    ])
    def test_json_round_trips(self, value):
        dumped = dump_json(value)
        assert isinstance(dumped, str)
        assert json.loads(dumped) == value
        assert load_json(dumped) == value
        assert load_json(dumped.encode()) == value  # psycopg hands over bytes

    @pytest.mark.parametrize("value", [BIG, -BIG, 2**64, -(2**63) - 1,
                                       {"n": [1, BIG, 3]}, {"id": 10**30, "x": 1.5}])
    def test_integers_beyond_64_bits_round_trip_exactly(self, value):
        dumped = dump_json(value)
        assert json.loads(dumped) == value
        loaded = load_json(dumped)
        assert loaded == value
        assert json.dumps(loaded) == json.dumps(value)  # integers, not floats that compare equal

    def test_older_nan_is_still_read(self):
        assert math.isnan(load_json('{"x": NaN}')["x"])

    def test_big_integer_survives_a_json_column(self, app_ctx):
        event = audit.record("test.big", big=BIG, nested={"list": [BIG, -BIG, 1]})
        db.session.flush()
        db.session.expire_all()
        reloaded = db.session.get(AuditEvent, event.id).details
        assert reloaded == {"big": BIG, "nested": {"list": [BIG, -BIG, 1]}}
        assert type(reloaded["big"]) is int

    def test_big_integer_survives_a_bulk_written_json_column(self, app_ctx):
        insert_rows(db.session, AuditEvent.__table__, [
            {"action": "test.big.bulk", "actor_user_id": None, "organisation_id": None,
             "subject_type": "", "subject_id": "", "details": {"big": BIG},
             "created_at": utcnow()}])
        details = db.session.scalar(db.select(AuditEvent.details).filter_by(action="test.big.bulk"))
        assert details == {"big": BIG} and type(details["big"]) is int
