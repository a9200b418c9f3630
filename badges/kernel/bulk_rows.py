"""Writing thousands of rows at once (bulk issuing) without the ORM's per-row cost.

The ORM writes a batch of new rows with one statement per row (executemany)
or one multi-row INSERT that psycopg parses anew each time; on PostgreSQL,
COPY is several times cheaper for both this process and the server. These
helpers write plain rows through each column's own type processing and then
hand the ORM objects it can adopt without reading them back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, insert, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, make_transient_to_detached, scoped_session
from sqlalchemy.sql import sqltypes

#: A session, or Flask-SQLAlchemy's ``db.session`` (a scoped session that stands for one).
AnySession = Session | scoped_session[Any]


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


def insert_rows(session: AnySession, table: Table, rows: list[dict[str, Any]]) -> None:
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
    raw: Any = session.connection().connection.driver_connection  # psycopg's connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([process(row[name]) if process else row[name]
                                for name, process in zip(names, processors, strict=True)])
    except dialect.loaded_dbapi.Error as exc:  # the same exceptions an INSERT would raise
        raise DBAPIError.instance(statement, None, exc, dialect.loaded_dbapi.Error) from exc


def adopt(session: AnySession, objects: list[Any]) -> None:
    """Make new ORM objects whose rows :func:`insert_rows` wrote persistent in ``session``.

    Every column attribute must be set (see :func:`with_defaults`): anything
    left unset would be loaded again from the database, one query per object.
    """
    for obj in objects:
        make_transient_to_detached(obj)
        session.add(obj)


def update_by_id(session: AnySession, table: Table, rows: list[dict[str, Any]]) -> None:
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


def reserve_ids(session: AnySession, table: str, count: int) -> list[int]:
    """``count`` new primary keys for ``table``, to assign before the rows are added.

    :func:`insert_rows` writes rows whose keys are already set (COPY returns
    nothing, and a multi-row ``INSERT … RETURNING`` is what psycopg would
    parse anew for every batch). PostgreSQL takes the numbers from the table's
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
    # Count the numbers handed out in this session too, not only the rows
    # written: a caller may reserve twice before it writes. Numbers kept past
    # the transaction are not safe: another writer may take them.
    mark = f"reserved_ids:{table}"
    top = session.scalar(text(f'SELECT coalesce(max(id), 0) FROM "{table}"')) or 0  # noqa: S608 - table names are ours
    top = max(top, session.info.get(mark, 0))
    session.info[mark] = top + count
    return list(range(top + 1, top + 1 + count))
