"""Engine settings per backend.

SQLite: foreign keys on, WAL so readers do not block the writer, a busy
timeout so concurrent writers wait instead of failing, and transactions
managed by SQLAlchemy rather than pysqlite (whose implicit BEGIN breaks
SAVEPOINTs; see SQLAlchemy's "Serializable isolation / Savepoints" notes).

PostgreSQL: every plan is made for the parameters at hand
(``plan_cache_mode = force_custom_plan``). psycopg prepares a statement
after a few runs, and PostgreSQL then keeps a *generic* plan chosen for the
table as it was: a dedup lookup prepared while ``credential`` was empty
kept scanning the whole table as a bulk run grew it to 10,000 rows (110 ms
a query instead of under 1 ms). Planning these small queries costs
microseconds; a stale plan costs seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import orjson
from flask import Flask
from sqlalchemy import Table, bindparam, event, insert, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.sql import sqltypes

P = ParamSpec("P")
R = TypeVar("R")


def dump_json(value: Any) -> str:
    """JSON columns: orjson (compact, several times faster), json for what it refuses.

    orjson refuses integers beyond 64 bits, which an imported credential may
    carry; the standard library writes those.
    """
    try:
        return orjson.dumps(value).decode("utf-8")
    except TypeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def load_json(text: str | bytes) -> Any:
    """JSON columns: orjson, and json for what it refuses (big integers, older NaN)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock at the start, so two writers never
        # deadlock upgrading read locks; SQLite serialises writers anyway.
        # Work that only reads (see ``read_only``) does not queue for it.
        # Straight to the driver: this runs for every transaction, and going through
        # SQLAlchemy's statement machinery cost more than the query that followed.
        conn.connection.dbapi_connection.execute(
            "BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")


#: Set while a request only reads (the public verifier): SQLite then starts its
#: transactions without the write lock, so readers in several workers run side by side.
_read_only: ContextVar[bool] = ContextVar("badges_read_only", default=False)


def read_only(view: Callable[P, R]) -> Callable[P, R]:
    """Run ``view`` as a reader: it must not write.

    SQLite starts its transactions without the write lock (and would refuse a
    write if another connection wrote since). PostgreSQL runs each statement
    on its own (autocommit): no BEGIN and ROLLBACK round trips around what is
    usually one query.
    """

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from badges.extensions import db

        token = _read_only.set(True)
        try:
            # Only on a fresh session over the engine (a test's session shares one
            # connection inside a transaction, whose isolation cannot change).
            session = db.session()
            if db.engine.dialect.name == "postgresql" and not session.in_transaction() \
                    and isinstance(session.get_bind(), Engine):
                session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return view(*args, **kwargs)
        finally:
            _read_only.reset(token)

    return wrapper


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_connection.commit()


def init_app(app: Flask) -> None:
    from badges.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
        elif engine.dialect.name == "postgresql":
            _configure_postgresql(engine)


# Writing thousands of rows at once (bulk issuing). The ORM writes a batch of
# new rows with one statement per row (executemany) or one multi-row INSERT
# that psycopg parses anew each time; on PostgreSQL, COPY is several times
# cheaper for both this process and the server.


def with_defaults(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` plus every other column of ``table``: its Python default, or None."""
    row = dict(values)
    for column in table.columns:
        if column.name in row:
            continue
        default = column.default
        if default is None:
            row[column.name] = None
        elif default.is_callable:
            row[column.name] = default.arg(None)  # type: ignore[attr-defined]
        elif default.is_scalar:
            row[column.name] = default.arg  # type: ignore[attr-defined]
    return row


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys: COPY on PostgreSQL, executemany elsewhere.

    Values go through the columns' own type processing (enums by value, JSON,
    UTC datetimes), exactly as an INSERT would send them.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in names]
    columns = ", ".join(f'"{name}"' for name in names)
    statement = f'COPY "{table.name}" ({columns}) FROM STDIN'  # names are ours
    raw = session.connection().connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([process(row[name]) if process else row[name]
                                for name, process in zip(names, processors, strict=True)])
    except dialect.loaded_dbapi.Error as exc:  # the same exceptions an INSERT would raise
        raise DBAPIError.instance(statement, None, exc, dialect.loaded_dbapi.Error) from exc


def adopt(session: Session, objects: list[Any]) -> None:
    """Make new ORM objects whose rows :func:`insert_rows` wrote persistent in ``session``.

    Every column attribute must be set (see :func:`with_defaults`): anything
    left unset would be loaded again from the database, one query per object.
    """
    for obj in objects:
        make_transient_to_detached(obj)
        session.add(obj)


def update_by_id(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Set columns of many rows by primary key ``id``; every dict has the same keys.

    PostgreSQL: one ``UPDATE … FROM unnest(arrays)`` statement; elsewhere an
    executemany of single-row updates.
    """
    if not rows:
        return
    names = [name for name in rows[0] if name != "id"]
    dialect = session.get_bind().dialect
    # unnest() takes arrays of plain values; JSON columns take the executemany path.
    if dialect.name != "postgresql" or any(
            isinstance(table.c[name].type, sqltypes.JSON) for name in names):
        session.execute(
            update(table).where(table.c.id == bindparam("_id"))
            .values({name: bindparam(name) for name in names}),
            [{**{k: v for k, v in row.items() if k != "id"}, "_id": row["id"]} for row in rows])
        return
    sql_types = {name: table.c[name].type.dialect_impl(dialect).compile(dialect=dialect)
                 for name in ["id", *names]}
    processors = {name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in ["id", *names]}

    def column(name: str) -> list[Any]:
        process = processors[name]
        return [process(row[name]) if process else row[name] for row in rows]

    arrays = ", ".join(f"CAST(:{name} AS {sql_types[name]}[])" for name in ["id", *names])
    sets = ", ".join(f'"{name}" = u."{name}"' for name in names)
    aliases = ", ".join(f'"{name}"' for name in ["id", *names])
    session.execute(
        text(f'UPDATE "{table.name}" SET {sets} FROM unnest({arrays}) AS u({aliases}) '  # noqa: S608
             f'WHERE "{table.name}".id = u.id'),
        {name: column(name) for name in ["id", *names]})


def reserve_ids(session: Session, table: str, count: int) -> list[int]:
    """``count`` new primary keys for ``table``, to assign before the rows are added.

    With their keys set, the ORM writes a batch of new rows as one
    ``executemany`` instead of a multi-row ``INSERT … RETURNING``, whose
    statement psycopg would parse anew for every batch (a quarter of a bulk
    run's time on PostgreSQL). PostgreSQL takes the numbers from the table's
    own sequence, so concurrent writers never clash. SQLite serialises
    writers (``BEGIN IMMEDIATE``), so the numbers after the highest key (and
    after any this session reserved but has not written yet) are free until
    this transaction ends.
    """
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return list(session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                 "FROM generate_series(1, :count)"),
            {"table": table, "count": count}))
    # A bulk run reserves its next chunk before it writes this one: count the
    # numbers handed out in this session too, not only the rows written.
    mark = f"reserved_ids:{table}"
    top = session.scalar(text(f'SELECT coalesce(max(id), 0) FROM "{table}"')) or 0  # noqa: S608 - table names are ours
    top = max(top, session.info.get(mark, 0))
    session.info[mark] = top + count
    return list(range(top + 1, top + 1 + count))
