"""Free disk space: checked before a download starts, and a full disk met while writing.

`free_bytes` is the one probe (tests replace it to play a nearly full disk).
"""
from __future__ import annotations

import errno
import os
import shutil

from app.models.download_errors import DiskSpaceError
from app.models.progress import format_bytes

# Left free after a download so the system (and DeskSeek's own database) can still write.
SPACE_MARGIN = 64 * 1024**2


def free_bytes(folder: str | os.PathLike) -> int:
    return shutil.disk_usage(folder).free


def check_space(folder: str | os.PathLike, still_needed: int, what: str) -> None:
    """Refuse to start when `still_needed` bytes (+ the margin) do not fit in `folder`'s filesystem."""
    free = free_bytes(folder)
    if still_needed + SPACE_MARGIN > free:
        raise DiskSpaceError(
            f"Not enough free disk space for {what}: {format_bytes(still_needed)} still to download "
            f"(+ {format_bytes(SPACE_MARGIN)} kept free), and {folder} has {format_bytes(free)} free. "
            "Free some space or choose another folder (--dir).")


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full_error(folder: str | os.PathLike, part: str | os.PathLike, have: int, total: int) -> DiskSpaceError:
    return DiskSpaceError(
        f"The disk holding {folder} is full: the download stopped at {format_bytes(have)} of {format_bytes(total)}. "
        f"The partial file {part} is kept; free some space and start the download again to continue.")

