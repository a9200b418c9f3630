"""Bulk row writers on the real backend: COPY on PostgreSQL, executemany elsewhere.

Each test holds on both backends; what a row holds is compared with what an
ordinary ORM insert of the same values stores, so the COPY path cannot drift
from the columns' own type processing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, inspect, text
from sqlalchemy.exc import IntegrityError

from badges.issuing.models import BulkJob, BulkJobState, BulkRow, BulkRowState, Credential, CredentialState
from badges.kernel.bulk_rows import adopt, insert_rows, reserve_ids, update_by_id, with_defaults
from badges.kernel.db import db
from badges.organisations.models import Organisation, OrganisationKind

CEST = timezone(timedelta(hours=2))
ROWS = BulkRow.__table__
JOBS = BulkJob.__table__


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements sent while the block runs (an executemany counts once)."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _executemany):
        sent.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def org(app_ctx) -> Organisation:
    org = Organisation(slug="bulk-rows-test", name="Bulk Rows Test", kind=OrganisationKind.COLLEGE)
    db.session.add(org)
    db.session.flush()
    return org


@pytest.fixture
def job(org) -> BulkJob:
    job = BulkJob(organisation_id=org.id, sha256="0" * 64)
    db.session.add(job)
    db.session.flush()
    return job


def _bulk_row(job: BulkJob, line: int, **values) -> dict:
    return {"job_id": job.id, "line": line, "data": {"email": f"r{line}@example.nl"},
            "errors": [], "state": BulkRowState.PENDING, "achievement_id": None,
            "credential_id": None, **values}


def _raw(table: str, columns: str, row_id: int) -> tuple:
    return tuple(db.session.execute(
        text(f"SELECT {columns} FROM {table} WHERE id = :id"), {"id": row_id}).one())  # noqa: S608


class TestWithDefaults:
    def test_fills_every_column_with_its_python_default_or_none(self):
        row = with_defaults(Credential.__table__, {"uuid": "given", "dedup_key": "k"})
        assert set(row) == {c.name for c in Credential.__table__.columns}
        assert row["uuid"] == "given" and row["dedup_key"] == "k"  # given values win
        assert row["state"] is CredentialState.ACTIVE
        assert row["evidence"] == [] and row["result"] == {}
        assert row["created_at"].tzinfo is not None
        assert abs(row["created_at"] - datetime.now(UTC)) < timedelta(minutes=1)
        assert row["id"] is None and row["document"] is None and row["recipient_email"] is None

    def test_callable_defaults_are_called_per_row(self):
        one, two = with_defaults(Credential.__table__, {}), with_defaults(Credential.__table__, {})
        assert one["uuid"] != two["uuid"]
        assert one["evidence"] is not two["evidence"]  # no list shared between rows
        assert one["result"] is not two["result"]


class TestInsertRows:
    def test_stores_what_an_orm_insert_stores(self, org):
        """Enums by value, JSON, aware datetimes (any zone, stored as UTC), text COPY must escape."""
        when = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=CEST)
        values = {"organisation_id": org.id, "sha256": "a" * 64, "state": BulkJobState.RUNNING,
                  "warnings": ["Zoë Brandsë €", {"lijst": [1, 2.5, None, True], "leeg": {}}],
                  "started_at": when, "finished_at": None, "created_at": when,
                  "filename": "tab\there, nieuwe regel\nen \\backslash; \"quote\".csv",
                  "error": None, "total": 7}
        bulk_id, = reserve_ids(db.session, "bulk_job", 1)
        insert_rows(db.session, JOBS, [with_defaults(JOBS, {**values, "id": bulk_id})])
        orm = BulkJob(**values)
        db.session.add(orm)
        db.session.flush()

        columns = "state, CAST(warnings AS TEXT), started_at, finished_at, filename, error, total"
        assert _raw("bulk_job", columns, bulk_id) == _raw("bulk_job", columns, orm.id)
        state, warnings, *_ = _raw("bulk_job", columns, bulk_id)
        assert state == "running"  # the value, not the member name
        assert json.loads(warnings) == values["warnings"]

        db.session.expire_all()
        stored = db.session.get(BulkJob, bulk_id)
        assert stored.state is BulkJobState.RUNNING
        assert stored.warnings == values["warnings"]
        assert stored.started_at == when and stored.started_at.utcoffset() == timedelta(0)
        assert stored.finished_at is None and stored.error is None
        assert stored.filename == values["filename"]
        assert (stored.source, stored.encoding, stored.issued) == ("web", "utf-8", 0)  # defaults

    def test_writes_many_rows_in_order(self, job):
        insert_rows(db.session, ROWS, [_bulk_row(job, line, data={"n": line})
                                       for line in range(2, 302)])
        got = db.session.execute(db.select(BulkRow.line, BulkRow.data, BulkRow.state)
                                 .filter_by(job_id=job.id).order_by(BulkRow.line)).all()
        assert [(r.line, r.data, r.state) for r in got] == [
            (line, {"n": line}, BulkRowState.PENDING) for line in range(2, 302)]

    def test_no_rows_writes_nothing(self, job):
        with statements() as sent:
            insert_rows(db.session, ROWS, [])
        assert sent == []

    def test_naive_datetime_is_refused(self, org):
        naive = datetime(2026, 1, 1, 12, 0)  # the mistake under test
        row = with_defaults(JOBS, {"id": reserve_ids(db.session, "bulk_job", 1)[0],
                                   "organisation_id": org.id, "sha256": "b" * 64,
                                   "started_at": naive})
        with pytest.raises(Exception, match="naive datetime"), db.session.begin_nested():
            insert_rows(db.session, JOBS, [row])

    @pytest.mark.parametrize("within_one_call", [False, True])
    def test_duplicate_unique_key_raises_integrity_error(self, job, within_one_call):
        insert_rows(db.session, ROWS, [_bulk_row(job, 2, data={"first": True})])
        batch = [_bulk_row(job, 3), _bulk_row(job, 3 if within_one_call else 2)]
        with pytest.raises(IntegrityError), db.session.begin_nested():
            insert_rows(db.session, ROWS, batch)
        # The savepoint undid the failed batch; the earlier row is untouched.
        got = db.session.execute(db.select(BulkRow.line, BulkRow.data).filter_by(job_id=job.id)).all()
        assert [(r.line, r.data) for r in got] == [(2, {"first": True})]

    def test_missing_foreign_key_raises_integrity_error(self, job):
        with pytest.raises(IntegrityError), db.session.begin_nested():
            insert_rows(db.session, ROWS, [_bulk_row(job, 2, achievement_id=987654321)])


class TestUpdateById:
    def _rows(self, job, n=4) -> list[int]:
        ids = reserve_ids(db.session, "bulk_row", n)
        insert_rows(db.session, ROWS, [_bulk_row(job, 2 + i, id=row_id)
                                       for i, row_id in enumerate(ids)])
        return ids

    def _state(self, job):
        return {r.id: r for r in db.session.execute(
            db.select(BulkRow.id, BulkRow.line, BulkRow.state, BulkRow.errors,
                      BulkRow.credential_id, BulkRow.data).filter_by(job_id=job.id))}

    def test_sets_columns_of_several_rows_in_one_statement(self, job):
        a, b, c, untouched = self._rows(job)
        with statements() as sent:
            update_by_id(db.session, ROWS, [
                {"id": a, "state": BulkRowState.ISSUED, "line": 102, "credential_id": None},
                {"id": c, "state": BulkRowState.SKIPPED, "line": 104, "credential_id": None},
                {"id": b, "state": BulkRowState.INVALID, "line": 103, "credential_id": None},
            ])
        assert sent == ["UPDATE"]
        got = self._state(job)
        assert [(got[i].state, got[i].line) for i in (a, b, c, untouched)] == [
            (BulkRowState.ISSUED, 102), (BulkRowState.INVALID, 103),
            (BulkRowState.SKIPPED, 104), (BulkRowState.PENDING, 5)]
        assert db.session.scalar(text("SELECT state FROM bulk_row WHERE id = :id"),
                                 {"id": a}) == "issued"  # by value

    def test_sets_json_columns(self, job):
        a, b, untouched, _ = self._rows(job)
        problem = [{"field": "achievement", "message": "Regel 2: weg, \"echt\" €."}]
        update_by_id(db.session, ROWS, [
            {"id": a, "state": BulkRowState.INVALID, "errors": problem, "data": {"x": [1, None]}},
            {"id": b, "state": BulkRowState.INVALID, "errors": [], "data": {}},
        ])
        got = self._state(job)
        assert (got[a].state, got[a].errors, got[a].data) == (BulkRowState.INVALID, problem,
                                                              {"x": [1, None]})
        assert (got[b].state, got[b].errors, got[b].data) == (BulkRowState.INVALID, [], {})
        assert (got[untouched].state, got[untouched].errors) == (BulkRowState.PENDING, [])

    def test_sets_aware_datetimes(self, org):
        ids = reserve_ids(db.session, "bulk_job", 2)
        insert_rows(db.session, JOBS, [with_defaults(JOBS, {
            "id": i, "organisation_id": org.id, "sha256": f"{i:064d}"}) for i in ids])
        when = datetime(2026, 10, 25, 2, 30, tzinfo=CEST)
        update_by_id(db.session, JOBS, [
            {"id": ids[0], "started_at": when, "state": BulkJobState.RUNNING},
            {"id": ids[1], "started_at": None, "state": BulkJobState.FAILED}])
        got = {j.id: j for j in db.session.scalars(db.select(BulkJob).where(BulkJob.id.in_(ids)))}
        assert got[ids[0]].started_at == when and got[ids[0]].state is BulkJobState.RUNNING
        assert got[ids[1]].started_at is None and got[ids[1]].state is BulkJobState.FAILED

    def test_no_rows_sends_nothing(self, job):
        with statements() as sent:
            update_by_id(db.session, ROWS, [])
        assert sent == []


class TestReserveIds:
    def test_two_reservations_before_writing_do_not_overlap(self, job):
        first = reserve_ids(db.session, "bulk_row", 3)
        second = reserve_ids(db.session, "bulk_row", 4)
        assert len(first) == 3 and len(second) == 4
        assert first == sorted(first) and second == sorted(second)
        assert max(first) < min(second)
        assert reserve_ids(db.session, "bulk_row", 0) == []

        # Rows written with them, the later reservation first, then one the ORM numbers.
        insert_rows(db.session, ROWS, [_bulk_row(job, 10 + i, id=row_id)
                                       for i, row_id in enumerate(second)])
        insert_rows(db.session, ROWS, [_bulk_row(job, 2 + i, id=row_id)
                                       for i, row_id in enumerate(first)])
        orm = BulkRow(job_id=job.id, line=100)
        db.session.add(orm)
        db.session.flush()
        stored = set(db.session.scalars(db.select(BulkRow.id).filter_by(job_id=job.id)))
        assert stored == {*first, *second, orm.id}
        assert orm.id > max(second)
        assert min(reserve_ids(db.session, "bulk_row", 1)) > orm.id

    def test_reservations_follow_the_tables_own_numbering(self, job):
        reserve_ids(db.session, "bulk_row", 5)  # another table's reservation does not count
        assert reserve_ids(db.session, "bulk_job", 2) == [job.id + 1, job.id + 2]


class TestAdopt:
    def test_adopted_objects_are_persistent_without_being_read_back(self, job):
        ids = reserve_ids(db.session, "bulk_row", 3)
        rows = [with_defaults(ROWS, {"id": row_id, "job_id": job.id, "line": 2 + i,
                                     "data": {"i": i}, "state": BulkRowState.PENDING})
                for i, row_id in enumerate(ids)]
        insert_rows(db.session, ROWS, rows)
        objects = [BulkRow(**row) for row in rows]
        with statements() as sent:
            adopt(db.session, objects)
            seen = [(o.id, o.job_id, o.line, o.data, o.errors, o.state, o.achievement_id,
                     o.credential_id) for o in objects]
            db.session.flush()  # nothing to write: they are not new, nor changed
        assert sent == []
        assert seen == [(row_id, job.id, 2 + i, {"i": i}, [], BulkRowState.PENDING, None, None)
                        for i, row_id in enumerate(ids)]
        assert all(inspect(o).persistent for o in objects)
        assert db.session.get(BulkRow, ids[0]) is objects[0]  # in the identity map

        # They behave as loaded rows: a change is an UPDATE of the stored row.
        objects[1].state = BulkRowState.ISSUED
        with statements() as sent:
            db.session.flush()
        assert sent == ["UPDATE"]
        assert db.session.scalar(text("SELECT state FROM bulk_row WHERE id = :id"),
                                 {"id": ids[1]}) == "issued"

        # The counter does see a load (so the empty list above means something).
        db.session.expire(objects[2])
        with statements() as sent:
            assert objects[2].line == 4
        assert sent == ["SELECT"]
