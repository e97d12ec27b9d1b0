"""The engines DeskSeek can run a model with, created by name and imported only when chosen."""
from __future__ import annotations

import importlib

from runtime.backends.base import Backend, GenerationStats
from runtime.types import ModelLoadError

# engine name -> "module:class"; the module (and torch or llama_cpp with it) loads on first use.
BACKENDS = {
    "llama_cpp": "runtime.backends.llama_cpp:LlamaCppBackend",
    "torch": "runtime.backends.torch_moe.backend:TorchMoeBackend",
    "remote": "runtime.backends.openai_remote:OpenAIRemoteBackend",
}

__all__ = ["BACKENDS", "Backend", "GenerationStats", "create_backend"]


def create_backend(engine: str) -> Backend:
    target = BACKENDS.get(engine)
    if target is None:
        raise ModelLoadError(f"DeskSeek has no engine called {engine!r} (known: {', '.join(BACKENDS)}).")
    module_name, class_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelLoadError(
            f"The {engine} engine is not installed ({exc.name or exc}); reinstall DeskSeek with it."
        ) from exc
    return getattr(module, class_name)()
