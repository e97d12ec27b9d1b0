"""The line under a finished reply: how it ended and how fast it came."""
from __future__ import annotations

from runtime.types import Finished


def status_line(done: Finished) -> str:
    if done.reason == "error":
        return f"Failed: {done.error}"
    parts = []
    if done.reason == "cancelled":
        parts.append("Stopped")
    elif done.reason == "length":
        parts.append("Cut at the length limit")
    rate = decode_rate(done)
    if done.completion_tokens:
        parts.append(f"{done.completion_tokens} tokens, {rate:.1f} tok/s, "
                     f"first token {done.time_to_first_token_s or 0:.2f} s")
    if done.dropped_messages:
        parts.append(f"{done.dropped_messages} older messages left out to fit the context")
    return " · ".join(parts)


def decode_rate(done: Finished) -> float:
    """Tokens per second after the first one (the prompt's time is not generation speed)."""
    gen_s = done.total_s - (done.time_to_first_token_s or 0.0)
    return (done.completion_tokens - 1) / gen_s if done.completion_tokens > 1 and gen_s > 0 else 0.0
