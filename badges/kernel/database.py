"""Engine settings per backend, the JSON codec of JSON columns, and read-only views.

SQLite: foreign keys on, WAL so readers do not block the writer, a busy
timeout so concurrent writers wait instead of failing, and transactions
managed by SQLAlchemy rather than pysqlite (whose implicit BEGIN breaks
SAVEPOINTs; see SQLAlchemy's "Serializable isolation / Savepoints" notes).

PostgreSQL: transactions that grow a table fast plan every query for the
parameters at hand (:func:`fresh_plans`). psycopg prepares a statement
after a few runs, and PostgreSQL then keeps a *generic* plan chosen for the
table as it was: a dedup lookup prepared while ``credential`` was empty
kept scanning the whole table as a bulk run grew it to 10,000 rows (110 ms
a query instead of under 1 ms), long before autovacuum's ANALYZE would
have replaced the plan. Everywhere else the generic plans stay: re-planning
the verifier's joined lookup on every request cost a fifth of its
throughput.

Views that only read (the public verifier) say so with :func:`read_only`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import orjson
from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session

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


#: Digits stay digits ("0"), everything else becomes a space (see ``load_json``).
_DIGITS_ONLY = bytes(0x30 if 0x30 <= i <= 0x39 else 0x20 for i in range(256))


def load_json(text: str | bytes) -> Any:
    """JSON columns: orjson, and json for what it misreads or refuses.

    orjson reads an integer beyond 64 bits as a float (silently: 2**70 comes
    back as 1.1805916207174113e+21), which would change an imported
    credential's signed document. Such an integer has 19 digits or more, so
    text with a run that long goes to json, which reads it exactly; the check
    is a byte translation and a substring search (about half of what orjson takes).
    orjson refuses NaN, which older rows may hold.
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if b"0" * 19 in raw.translate(_DIGITS_ONLY):
        return json.loads(text)
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
        # Work that only reads (see ``read_only``) does not queue for it. Sent
        # straight to the driver: this runs for every transaction, and through
        # SQLAlchemy's statement machinery it cost more than the query after it.
        conn.connection.dbapi_connection.execute(
            "BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")


#: Set while a request only reads (the public verifier): SQLite then starts its
#: transactions without the write lock, so readers in several workers run side by side.
_read_only: ContextVar[bool] = ContextVar("badges_read_only", default=False)


def upsert_insert(session: Session | scoped_session[Any]) -> Any:
    """``insert`` of the session's dialect, which has ``on_conflict_do_nothing``/``_do_update``.

    The service runs on SQLite and PostgreSQL only; both spell ON CONFLICT the same way.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def read_only(view: Callable[P, R]) -> Callable[P, R]:
    """Run ``view`` as a reader: it must not write.

    SQLite starts its transactions without the write lock (and would refuse a
    write if another connection wrote since). PostgreSQL runs each statement
    on its own (autocommit): no BEGIN and ROLLBACK round trips around what is
    usually one query.
    """

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from badges.kernel.db import db

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


def fresh_plans(session: Session | scoped_session[Any]) -> None:
    """For the rest of this transaction, plan each query for its own parameters.

    For transactions that add thousands of rows to a table they also query
    (bulk issuing); a no-op on backends without plan caching.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def forget_inherited_connections(app: Flask) -> None:
    """In a forked process: drop the pools it inherited without closing their sockets.

    The parent's connections stay the parent's (closing them here would end
    its sessions); this process opens its own on first use.
    """
    from badges.kernel.db import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def init_app(app: Flask) -> None:
    from badges.kernel.db import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
