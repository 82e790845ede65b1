"""Database engine set-up: SQLite made safe for a web server (reliability.md, "Database")."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from .extensions import db

IMMEDIATE = "quizapp_immediate"
BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    module = type(dbapi_connection).__module__
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


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    # A transaction that will write takes the write lock up front: a deferred one that reads
    # first and writes later fails at once with SQLITE_BUSY when another writer got in between.
    immediate = connection.get_execution_options().get(IMMEDIATE)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write() -> None:
    """Start the session's transaction as a writer (ends a read-only one first).

    On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE), so what a service
    reads before it writes cannot change underneath it. On PostgreSQL this is an ordinary
    transaction start (READ COMMITTED): there, services rely on unique constraints, on scores
    computed by the database, and on SELECT … FOR UPDATE where they read-then-write a row.
    """
    session = db.session()
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() with unflushed changes in the session")
        session.commit()
    session.connection(execution_options={IMMEDIATE: True})


def dialect_insert(table):
    """INSERT into `table` (a model or a Table) in the dialect of the session's database, with
    its `on_conflict_do_nothing`/`on_conflict_do_update` (PostgreSQL, else SQLite)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
