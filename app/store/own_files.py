"""The live history file and its -wal/-shm are never opened by anything but SQLite.

A user can pick them in any file dialog: as a document, an import, an export's target or a
model. Reading one with open() and closing it drops SQLite's POSIX locks for the whole process
(another process may then delete the live WAL), and an export written over it would replace the
database under the open connection. They are recognised by os.stat alone, which opens nothing.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import StoreError

SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def is_history_file(path: str | os.PathLike, database: Path) -> bool:
    """True when `path` is the database or one of SQLite's files beside it (links followed)."""
    candidate = Path(path).expanduser()
    for suffix in SQLITE_SIDE_FILES:
        own = Path(f"{database}{suffix}")
        try:
            if os.path.samefile(candidate, own):
                return True
        except OSError:  # one of them does not exist: compare where they would be
            if candidate.absolute() == own.absolute() or _resolved(candidate) == _resolved(own):
                return True
    return False


def refuse_history_file(path: str | os.PathLike, database: Path, use: str) -> None:
    """StoreError naming the file when `path` is DeskSeek's own history; `use` ends the sentence,
    e.g. "attached as a document"."""
    if is_history_file(path, database):
        raise StoreError(f"{Path(path).name} is DeskSeek's own chat history database; it cannot be {use}. "
                         "Nothing was changed.")


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
