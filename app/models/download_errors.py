"""The sentences a download ends with when it cannot finish.

Every failure a user can meet is a DownloadError whose text says what happened and what is
kept; the CLI prints it as-is and the window shows it next to the download.
"""
from __future__ import annotations

from runtime.types import DeskSeekError


class DownloadError(DeskSeekError):
    """A download that cannot go on; the message is written for the user."""


class NotFoundError(DownloadError):
    """The repository, the revision or the file is not on the server."""


class ChecksumError(DownloadError):
    """The bytes received are not the file the Hub described; the partial file was deleted."""


class DiskSpaceError(DownloadError):
    """Not enough free space, before starting or in the middle (the partial file is kept)."""


class ConnectionLostError(DownloadError):
    """The server cannot be reached, or stopped answering and did not come back."""


class DownloadStopped(Exception):
    """Paused or cancelled by the user: not an error, so not a DeskSeekError."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "pause" or "cancel"
