"""HubError: every failure talking to the Hub, as one sentence a user can act on."""
from __future__ import annotations

from runtime.types import DeskSeekError


class HubError(DeskSeekError):
    """Raised with a sentence: repo not found, server unreachable, gated, token refused..."""
