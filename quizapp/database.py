"""Database engine set-up: SQLite made safe for a web server (reliability.md, "Database")."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

try:  # the PostgreSQL driver: optional, SQLite needs none (`pip install psycopg[binary]`)
    from psycopg.types.array import ListBinaryDumper
except ImportError:
    ListBinaryDumper = None
from sqlalchemy import ARRAY, bindparam, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key
from sqlalchemy.pool import Pool

from .extensions import db

T = TypeVar("T")

IMMEDIATE = "quizapp_immediate"
BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    module = type(dbapi_connection).__module__
    if module.startswith("psycopg"):
        _binary_arrays(dbapi_connection)
        return
    if not module.startswith("sqlite3"):
        return
    # pysqlite's own transaction handling is turned off so that BEGIN is ours (below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _binary_arrays(dbapi_connection) -> None:
    """psycopg: Python lists (the arrays of `rows_from_arrays` and the flashcards' UPDATE; no
    other parameter is a list) sent in binary. psycopg's text format escapes and quotes every
    element in Python: 30-50 µs for 20 strings or times, against about 5 in binary, and a
    submission sends about 35 arrays (bench/load.py)."""
    dbapi_connection.adapters.register_dumper(list, ListBinaryDumper)


# A pooled connection is checked before use only when it has been idle this long (seconds).
# One in steady use needs no check: it answered a moment ago. SQLAlchemy's own pre-ping checks
# every checkout, a round trip (`SELECT 1`, on psycopg inside its own BEGIN) on every request.
PING_AFTER_IDLE = 0.25
_CHECKED_IN = "quizapp_checked_in"


@event.listens_for(Pool, "connect")
@event.listens_for(Pool, "checkin")
def _note_checkin(_dbapi_connection, record) -> None:
    """When the connection last answered: as it was made (a new one needs no ping) and as it
    went back to the pool."""
    if record is not None:
        record.info[_CHECKED_IN] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    """Pessimistic disconnect handling for connections that sat idle: a PostgreSQL restart
    (or an idle timeout) leaves them dead, and the first request to use one would fail. One
    that was checked in within PING_AFTER_IDLE was alive then; a restart takes longer than
    that, and a request that meets a dead one during it gets a 503 like any other at that
    moment (the pool is then renewed). Raising DisconnectionError makes the pool replace the
    connection and try again. SQLite's connections are files: never checked."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    last = record.info.get(_CHECKED_IN)
    if last is not None and time.monotonic() - last < PING_AFTER_IDLE:
        return
    autocommit = dbapi_connection.autocommit
    try:
        dbapi_connection.autocommit = True  # no transaction of its own to end
        dbapi_connection.execute("SELECT 1").close()
    except Exception as exc:  # psycopg.OperationalError and kin: the server is gone
        raise DisconnectionError(str(exc)) from exc
    finally:
        if not dbapi_connection.closed:
            dbapi_connection.autocommit = autocommit


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    # A transaction that will write takes the write lock up front: a deferred one that reads
    # first and writes later fails at once with SQLITE_BUSY when another writer got in between.
    immediate = connection.get_execution_options().get(IMMEDIATE)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Set on a connection's `info` by the first statement of its transaction that may write (any
# but SELECT and a plain BEGIN); cleared when a transaction begins. `end_reads` reads it.
WROTE = "quizapp_wrote"
# A session's connection in its current transaction, on the session's `info` (`end_reads`).
CONNECTION = "quizapp_connection"


@event.listens_for(Engine, "begin")
def _transaction_begins(connection) -> None:
    connection.info[WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    if not (statement.startswith("SELECT") or statement == "BEGIN"):
        connection.info[WROTE] = True


# What services keep on a session about what they have just committed (`just_committed`).
COMMITTED = "quizapp_committed"


@event.listens_for(Session, "after_begin")
def _session_connected(session, _transaction, connection) -> None:
    session.info[CONNECTION] = connection
    session.info.pop(COMMITTED, None)


@event.listens_for(Session, "after_transaction_end")
def _session_ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(CONNECTION, None)


def _unflushed(session: Session) -> bool:
    return bool(session.new or session.dirty or session.deleted)


def _reading(session: Session):
    """The connection of the session's transaction when the transaction has reached the
    database and has only read so far (SELECTs, FOR UPDATE included), no change waiting to be
    flushed either; None otherwise."""
    connection = session.info.get(CONNECTION)  # none: the transaction never reached the database
    if connection is None or connection.info.get(WROTE, True) or _unflushed(session):
        return None
    return connection


def end_reads() -> None:
    """End the session's transaction with a COMMIT when it only read (SELECTs, FOR UPDATE
    included: both ends release the same locks), where ending the request would send a
    ROLLBACK. The outcome is the same, but psycopg forgets every prepared statement of the
    connection on a ROLLBACK (and sends DEALLOCATE ALL), so a ROLLBACK at the end of each
    page meant that no statement stayed prepared on PostgreSQL: all were parsed and planned
    again on every request (bench/load.py). A transaction with anything else in it, or with
    changes not flushed, is left alone (rolled back by the session's end as before)."""
    session = db.session()
    if _reading(session) is None:
        return
    # The loaded objects stay as they are, as after a rollback: a streamed response may still
    # read them once the session is gone.
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def just_committed() -> dict:
    """A dict on the session for what a service just committed and may answer from without
    reading it back (e.g. a submission's responses). It is emptied as soon as the session's
    next transaction reaches the database: what it holds is never older than the last commit
    of this session, and nothing this session did since can have changed it."""
    return db.session().info.setdefault(COMMITTED, {})


def begin_write(keep_reads: bool = False) -> None:
    """Start the session's transaction as a writer (ends a read-only one first).

    On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE), so what a service
    reads before it writes cannot change underneath it. On PostgreSQL this is an ordinary
    transaction start (READ COMMITTED): there, services rely on unique constraints, on scores
    computed by the database, and on SELECT … FOR UPDATE where they read-then-write a row.

    With `keep_reads`, on PostgreSQL a transaction that has only read so far goes on as the
    writer instead (one COMMIT and BEGIN fewer; under READ COMMITTED every later statement sees
    what others committed meanwhile all the same). The objects it loaded are then not expired:
    only a caller that does not read them again for fresh values may ask for it.
    """
    session = db.session()
    if session.in_transaction():
        if _unflushed(session):
            raise RuntimeError("begin_write() with unflushed changes in the session")
        connection = _reading(session) if keep_reads else None
        if connection is not None and connection.dialect.name == "postgresql":
            return
        session.commit()
    session.connection(execution_options={IMMEDIATE: True})


def _insert_of(dialect: str):
    """The `insert` of a dialect's SQLAlchemy module: PostgreSQL's, else SQLite's."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def dialect_insert(table):
    """INSERT into `table` (a model or a Table) in the dialect of the session's database, with
    its `on_conflict_do_nothing`/`on_conflict_do_update` (PostgreSQL, else SQLite)."""
    return _insert_of(db.session.get_bind().dialect.name)(table)


def once_per_dialect(build: Callable[[Callable], T]) -> Callable[[], T]:
    """Decorate `build(insert)`, which makes statements with `insert` (postgresql.insert or
    sqlite.insert, for their ON CONFLICT clauses): the decorated function takes no argument
    and gives what `build` made for the session's database, built on its first call per
    dialect. For statements run by every request: building and compiling them each time
    cost more than running them (issue 16's submission bar)."""
    built: dict[str, T] = {}

    @functools.wraps(build)
    def statements() -> T:
        dialect = db.session.get_bind().dialect.name
        found = built.get(dialect)
        if found is None:
            found = built[dialect] = build(_insert_of(dialect))
        return found

    return statements


def unnest_arrays(columns: Mapping[str, Any], ordinality: bool = False):
    """PostgreSQL: the rows given as one array per column, as a table (`unnest(…)`): one bind
    parameter per name of `columns`, an array of that column type; with `ordinality`, a
    `row_number` column too (the order sent).

    However many rows, the statement's text is the same: psycopg keeps it converted and, run
    often, prepared (a multi-row VALUES is new text for each number of rows, and past 50
    parameters psycopg converts it again on every call). Give the values with `as_arrays`."""
    rows = func.unnest(*(bindparam(name, type_=ARRAY(kind)) for name, kind in columns.items()))
    if ordinality:
        return rows.table_valued(*columns, with_ordinality="row_number").render_derived()
    return rows.table_valued(*columns).render_derived()


def rows_from_arrays(table, names: Sequence[str]):
    """PostgreSQL: SELECT the rows given as one array per column (bind parameters named as the
    columns of `table`), in the order sent (`unnest_arrays` WITH ORDINALITY), for an INSERT …
    SELECT."""
    rows = unnest_arrays({name: table.c[name].type for name in names}, ordinality=True)
    return select(*(rows.c[name] for name in names)).order_by(rows.c.row_number)


def as_arrays(rows: Sequence[dict], names: Sequence[str]) -> dict[str, list]:
    """The parameters of a `rows_from_arrays` statement: each column's values in row order."""
    return {name: [row[name] for row in rows] for name in names}


def get_by_id(model, ident: int):
    """`db.session.get(model, ident)` for a model with a one-column primary key, a little
    cheaper: when the session does not hold the row already, its SELECT is built once per model
    (the session's get builds and keys a new one on every call; every page loads its user and
    most a question set this way)."""
    session = db.session()
    if session.identity_map.get(identity_key(model, ident)) is not None:
        return session.get(model, ident)
    stmt = _BY_ID.get(model)
    if stmt is None:
        (column,) = model.__table__.primary_key.columns
        stmt = _BY_ID[model] = select(model).where(column == bindparam("ident"))
    return session.execute(stmt, {"ident": ident}).scalars().first()


_BY_ID: dict = {}
