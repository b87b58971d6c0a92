"""Open the store's SQLite file (WAL, foreign keys) and run writes in one transaction each.

The connection is in autocommit mode (``isolation_level=None``) and every write path goes
through :func:`transaction`, which issues ``BEGIN IMMEDIATE`` … ``COMMIT``: a write either
lands whole or not at all, also when the process is killed half way (SQLite's journal).
sqlite-utils' own write helpers commit on their own, so inside a transaction we use SQL.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

__all__ = ["default_db_path", "now_iso", "open_db", "transaction"]


def default_db_path() -> str:
    """``$NOTICERULES_DB``, else ``./noticerules.db``."""
    return os.environ.get("NOTICERULES_DB") or "noticerules.db"


def now_iso() -> str:
    """Record time in UTC with microseconds, so events in one second keep their order."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def open_db(path: str | Path, *, migrate: bool = True, check_same_thread: bool = True) -> sqlite_utils.Database:
    """Open (and by default create/migrate) the store at ``path``."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30.0, check_same_thread=check_same_thread)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    db = sqlite_utils.Database(conn)
    db.enable_wal()
    # WAL + NORMAL is still crash-safe for the database (only the last commits may be lost on
    # power failure, never a half transaction); a killed process loses nothing committed.
    conn.execute("PRAGMA synchronous = NORMAL")
    if migrate:
        from .migrations import migrate as _migrate

        _migrate(db)
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; roll back on any exception. Not re-entrant."""
    conn = db.conn
    if conn.in_transaction:  # a caller already opened one: join it (its commit is the one that counts)
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
