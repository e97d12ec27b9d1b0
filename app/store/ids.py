"""Identifiers and timestamps: ULID strings and ISO-8601 UTC text, both sortable as text."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

from ulid import ULID

_lock = threading.Lock()
_last = 0


def new_id() -> str:
    """A ULID that sorts after every id made earlier in this process, even within one millisecond."""
    global _last
    with _lock:
        value = max(int(ULID()), _last + 1)
        _last = value
    return str(ULID.from_int(value))


def now_iso() -> str:
    return to_iso(datetime.now(timezone.utc))


def to_iso(moment: datetime) -> str:
    """Fixed-width UTC text, so string order is time order."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_epoch(seconds: float) -> str:
    return to_iso(datetime.fromtimestamp(seconds, timezone.utc))
