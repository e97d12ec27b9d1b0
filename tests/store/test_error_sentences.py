"""Every failure the history file can meet gets its own sentence, whole: SQLite's own messages
(as sqlite3 words them) and the OS errors of creating the file's folder."""
import errno
import sqlite3
from pathlib import Path

import pytest

from app.store.errors import describe

P = Path("/home/u/.local/share/DeskSeek/history.db")
DAMAGED = (f"The chat history file {P} is damaged or is not a DeskSeek database. "
           "Move it aside (or restore a backup) and start DeskSeek again.")
READ_ONLY = (f"The chat history file {P} is read-only, so nothing new can be saved. "
             "Check the file's permissions or free the disk, then try again.")
FULL = (f"The disk holding {P} is full, so nothing new can be saved. "
        "Free some space, then try again; what you typed is kept.")
BUSY = (f"The chat history file {P} is busy in another program or window. "
        "Close it there or wait a moment, then try again.")
CANNOT_OPEN = (f"The chat history file {P} cannot be opened. "
               "Check that its folder exists and that you may write to it.")


@pytest.mark.parametrize("exc, sentence", [
    (sqlite3.DatabaseError("file is not a database"), DAMAGED),
    (sqlite3.DatabaseError("database disk image is malformed"), DAMAGED),
    (sqlite3.DatabaseError("corrupt database"), DAMAGED),
    (sqlite3.OperationalError("attempt to write a readonly database"), READ_ONLY),
    (sqlite3.OperationalError("read-only file system"), READ_ONLY),
    (sqlite3.OperationalError("database or disk is full"), FULL),
    (sqlite3.OperationalError("disk is full"), FULL),
    (sqlite3.OperationalError("database is locked"), BUSY),
    (sqlite3.OperationalError("database table is busy"), BUSY),
    (sqlite3.OperationalError("unable to open database file"), CANNOT_OPEN),
    (sqlite3.OperationalError("disk I/O error"),
     f"Reading or writing {P} failed at the disk level (disk I/O error). Check the disk."),
    (sqlite3.OperationalError("no such table: x"), f"The chat history at {P} could not be used: no such table: x"),
    (PermissionError(errno.EACCES, "Permission denied"),
     f"DeskSeek may not write to {P} (permission denied or read-only disk). "
     "Choose another location or fix the permissions."),
    (OSError(errno.EROFS, "Read-only file system"),
     f"DeskSeek may not write to {P} (permission denied or read-only disk). "
     "Choose another location or fix the permissions."),
    (FileExistsError(errno.EEXIST, "File exists", "/home/u/.local/share/DeskSeek"),
     f"The folder for {P} cannot be created: /home/u/.local/share/DeskSeek is a file, not a folder. "
     "Choose another location."),
    (OSError(errno.ENOSPC, "No space left on device"), f"The disk holding {P} is full. Free some space, then try again."),
    (OSError(errno.EIO, "Input/output error"), f"The chat history at {P} could not be used: [Errno 5] Input/output error"),
])
def test_each_failure_has_its_whole_sentence(exc, sentence):
    assert describe(exc, P) == sentence
