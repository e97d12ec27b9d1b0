"""StoreError and the translation of SQLite/OS failures into sentences a user can act on."""
from __future__ import annotations

import contextlib
import errno
import sqlite3
from pathlib import Path
from typing import Iterator

from runtime.types import DeskSeekError


class StoreError(DeskSeekError):
    """The history database could not be opened, read or written; the message is for the user."""


def describe(exc: BaseException, path: Path) -> str:
    """One sentence saying what went wrong with the history file and what the user can do."""
    text = str(exc).lower()
    if isinstance(exc, sqlite3.DatabaseError):
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return (f"The chat history file {path} is damaged or is not a DeskSeek database. "
                    "Move it aside (or restore a backup) and start DeskSeek again.")
        if "readonly" in text or "read-only" in text:
            return (f"The chat history file {path} is read-only, so nothing new can be saved. "
                    "Check the file's permissions or free the disk, then try again.")
        if "disk is full" in text:  # SQLite says "database or disk is full"
            return (f"The disk holding {path} is full, so nothing new can be saved. "
                    "Free some space, then try again; what you typed is kept.")
        if "locked" in text or "busy" in text:
            return (f"The chat history file {path} is busy in another program or window. "
                    "Close it there or wait a moment, then try again.")
        if "unable to open" in text:
            return (f"The chat history file {path} cannot be opened. "
                    "Check that its folder exists and that you may write to it.")
        if "disk i/o" in text:
            return f"Reading or writing {path} failed at the disk level ({exc}). Check the disk."
    if isinstance(exc, OSError):
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return (f"DeskSeek may not write to {path} (permission denied or read-only disk). "
                    "Choose another location or fix the permissions.")
        if exc.errno in (errno.EEXIST, errno.ENOTDIR):
            return (f"The folder for {path} cannot be created: {_file_in_the_way(exc.filename)} is a file, "
                    "not a folder. Choose another location.")
        if exc.errno == errno.ENOSPC:
            return f"The disk holding {path} is full. Free some space, then try again."
    return f"The chat history at {path} could not be used: {exc}"


def _file_in_the_way(name: str | None) -> Path | str | None:
    """The file where a folder was wanted: for ENOTDIR the OS names the folder it tried to make,
    whose missing parent chain runs into a file somewhere above it."""
    if not name:
        return name
    for candidate in (Path(name), *Path(name).parents):
        if candidate.exists():
            return candidate if not candidate.is_dir() else Path(name)
    return Path(name)


@contextlib.contextmanager
def translated(path: Path) -> Iterator[None]:
    """Turn SQLite and OS errors raised inside the block into StoreError."""
    try:
        yield
    except StoreError:
        raise
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(describe(exc, path)) from exc
