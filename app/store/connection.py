"""Open the history file safely: refuse what is not ours, then WAL, then migrations.

Only SQLite ever opens the database file or its -wal/-shm. SQLite's locks are POSIX locks, and
closing *any* descriptor of the file in this process drops all of them: another process could
then delete the live WAL under the window (SQLite's "How To Corrupt", 2.2). So even the check
that a file is SQLite at all is made by SQLite, never by reading the file's bytes ourselves.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .errors import StoreError, translated
from .migrations import SET_NAME, migrations

BUSY_TIMEOUT_MS = 5000


def open_database(path: Path) -> Database:
    """A migrated, WAL-mode connection to `path`, or StoreError with a sentence for the user."""
    with translated(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_writable(path)
        # The store serialises its own calls with a lock; the window may close it from any thread.
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        with translated(path):
            _check_header(conn, path)
            db = Database(conn, execute_plugins=False)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            _check_ours(db, path)
            db.enable_wal()
            # FULL: a committed message survives a power cut too, not only a crash.
            db.execute("PRAGMA synchronous = FULL")
            migrations.apply(db)
            return db
    except BaseException:
        conn.close()
        raise


def _check_header(conn: sqlite3.Connection, path: Path) -> None:
    """Reject a non-SQLite file with a sentence. SQLite reads the header on the first statement and
    says "file is not a database" before it writes anything, so the file is left as it was."""
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" not in str(exc).lower():
            raise
        raise StoreError(
            f"{path} is not a DeskSeek history database (it is not an SQLite file, or it is "
            "damaged). Move it aside or choose another file; it has not been changed."
        ) from exc


def _check_writable(path: Path) -> None:
    target = path if path.exists() else path.parent
    # WAL needs to create -wal and -shm files next to the database.
    if not os.access(target, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise StoreError(
            f"DeskSeek may not write to {target} (read-only file, folder or disk), so the chat "
            "history cannot be saved. Fix the permissions or choose another location."
        )


def _check_ours(db: Database, path: Path) -> None:
    """Refuse a database made by another program or by a newer DeskSeek; never migrate those."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    applied = {m.name for m in migrations.applied(db)} if migrations.migrations_table in tables else set()
    # A file with only the bookkeeping table is ours: a first start cut short before m001.
    if not applied and tables - {migrations.migrations_table}:
        raise StoreError(
            f"{path} is an SQLite database that belongs to another program, not DeskSeek. "
            "Choose another file; this one has not been changed."
        )
    known = set(known_migration_names())
    unknown = sorted(applied - known)
    if unknown:
        raise StoreError(
            f"{path} was written by a newer DeskSeek (schema step {unknown[-1]}). "
            "Update DeskSeek to open it; it has not been changed."
        )


def known_migration_names() -> list[str]:
    """Every migration this version knows, in order (all are pending on a blank database)."""
    return [m.name for m in migrations.pending(Database(memory=True))]


__all__ = ["open_database", "known_migration_names", "SET_NAME"]
