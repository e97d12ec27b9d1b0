"""Plain data that crosses the boundary between the window and the runtime.

Every hop of a turn carries these frozen dataclasses, so the runtime thread could become a
subprocess or a server without touching the GUI or the backends.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal, Mapping

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length", "cancelled", "error"]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class GenerationOptions:
    max_tokens: int = 1024
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    repeat_penalty: float = 1.1
    seed: int | None = None
    stop: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextDelta:
    """A piece of streamed text; `reasoning` marks text inside a <think> block."""

    text: str
    reasoning: bool = False


@dataclass(frozen=True)
class Finished:
    """Always the last event of a stream."""

    reason: FinishReason
    prompt_tokens: int = 0
    completion_tokens: int = 0
    time_to_first_token_s: float | None = None
    total_s: float = 0.0
    error: str | None = None
    dropped_messages: int = 0  # older turns left out of the prompt to fit the context


StreamEvent = TextDelta | Finished


class CancelToken:
    """Set from the GUI thread, polled by the backend between tokens (never queued)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class Plan:
    """One way to run one model on this machine; the planner returns these best-first."""

    engine: Literal["llama_cpp", "torch", "remote"]
    model_path: str
    device: str = "cpu"  # "cpu", "cuda:0", or a server URL for "remote"
    dtype: str | None = None  # torch: "bfloat16" | "float16" | "float32"
    n_gpu_layers: int = 0
    n_cpu_moe_layers: int = 0  # llama.cpp: layers whose routed-expert tensors stay in RAM
    n_ctx: int = 4096
    n_threads: int | None = None  # None: the free physical cores
    n_batch: int = 512
    kv_type: str = "f16"  # llama.cpp cache type for K and V: f16, q8_0, q4_0
    flash_attn: bool = False
    use_mmap: bool = True
    mmap_from_disk_bytes: int = 0  # the last resort: weights beyond RAM, read from disk as needed
    est_bytes: Mapping[str, int] = field(default_factory=dict)  # device -> bytes
    est_decode_tok_s: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class LoadedModel:
    """What the window shows about the model that is now active."""

    name: str
    path: str
    engine: str
    context_length: int
    reason: str
    languages: str = ""  # e.g. "English only" for the embedded default
    plan: Plan | None = None  # the plan it was loaded with (what it holds, for planning a reload)


class DeskSeekError(Exception):
    """An error whose message is written for the user, shown as-is in the window or CLI."""


class ModelFileError(DeskSeekError):
    """A model file that is missing, unreadable, corrupt or of an unknown kind."""


class ModelLoadError(DeskSeekError):
    """The engine could not load a model (memory, driver, unsupported architecture...)."""


class GenerationError(DeskSeekError):
    """A failure while generating; the partial reply is kept."""
