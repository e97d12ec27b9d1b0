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
        speed = QCoreApplication.translate("TurnStatus", "%n token(s), %1 tok/s, first token %2 s", None, n)
        parts.append(speed.replace("%1", f"{decode_rate(done):.1f}")
                     .replace("%2", f"{done.time_to_first_token_s or 0:.2f}"))
    dropped = done.dropped_messages
    if dropped:
        parts.append(QCoreApplication.translate("TurnStatus", "%n older message(s) left out to fit the context",
                                                None, dropped))
    return " · ".join(parts)


def decode_rate(done: Finished) -> float:
    """Tokens per second after the first one (the prompt's time is not generation speed)."""
    gen_s = done.total_s - (done.time_to_first_token_s or 0.0)
    return (done.completion_tokens - 1) / gen_s if done.completion_tokens > 1 and gen_s > 0 else 0.0
