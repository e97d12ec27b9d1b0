"""The line under a finished reply: how it ended and how fast it came."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from runtime.types import Finished


def status_line(done: Finished) -> str:
    if done.reason == "error":
        return QCoreApplication.translate("TurnStatus", "Failed: %1").replace("%1", done.error or "")
    parts = []
    if done.reason == "cancelled":
        parts.append(QCoreApplication.translate("TurnStatus", "Stopped"))
    elif done.reason == "length":
        parts.append(QCoreApplication.translate("TurnStatus", "Cut at the length limit"))
    n = done.completion_tokens
    if n:
        speed = (QCoreApplication.translate("TurnStatus", "%1 token, %2 tok/s, first token %3 s") if n == 1
                 else QCoreApplication.translate("TurnStatus", "%1 tokens, %2 tok/s, first token %3 s"))
        parts.append(speed.replace("%1", str(n)).replace("%2", f"{decode_rate(done):.1f}")
                     .replace("%3", f"{done.time_to_first_token_s or 0:.2f}"))
    dropped = done.dropped_messages
    if dropped:
        note = (QCoreApplication.translate("TurnStatus", "1 older message left out to fit the context")
                if dropped == 1 else
                QCoreApplication.translate("TurnStatus", "%1 older messages left out to fit the context"))
        parts.append(note.replace("%1", str(dropped)))
    return " · ".join(parts)


def decode_rate(done: Finished) -> float:
    """Tokens per second after the first one (the prompt's time is not generation speed)."""
    gen_s = done.total_s - (done.time_to_first_token_s or 0.0)
    return (done.completion_tokens - 1) / gen_s if done.completion_tokens > 1 and gen_s > 0 else 0.0
