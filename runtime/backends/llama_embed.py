"""A GGUF embedding model (multilingual-e5, bge-m3, nomic-embed ...) run by llama.cpp itself, for
ranking document passages by meaning (app.documents.embedding). CPU only: a small encoder beside
the chat model must not take the chat model's GPU memory."""
from __future__ import annotations

import atexit
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

N_CTX = 512  # what e5 and bge were trained with; longer passages are cut (truncate=True)


class GgufEmbedder:
    def __init__(self, path: str | Path, n_threads: int | None = None) -> None:
        import llama_cpp

        path = Path(path)
        common = dict(model_path=str(path), embedding=True, n_ctx=N_CTX, n_batch=N_CTX, n_ubatch=N_CTX,
                      n_gpu_layers=0, n_threads=n_threads, verbose=False)
        llm = llama_cpp.Llama(**common)
        if not any(key.endswith(".pooling_type") for key in llm.metadata):
            # A model that names no pooling (a chat model's GGUF) would give one vector per token.
            llm.close()
            llm = llama_cpp.Llama(**common, pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN)
        self._llm = llm
        self.dim = int(llm.n_embd())
        self.name = f"gguf:{path.name}:{path.stat().st_size}"
        # e5 was trained with these prefixes; bge-m3 and most others take the text as it is.
        e5 = "e5" in path.name.lower()
        self._query_prefix, self._passage_prefix = ("query: ", "passage: ") if e5 else ("", "")
        self._lock = threading.Lock()
        # Kept for the process (app.documents.embedding caches it): freed before the interpreter
        # tears llama_cpp down, which would otherwise fail noisily in its destructor at exit.
        atexit.register(self.close)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([self._passage_prefix + t for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self._embed([self._query_prefix + text])[0]

    def _embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            rows = [self._llm.embed(t, normalize=True, truncate=True) for t in texts]
        matrix = np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms > 0, norms, 1.0)

    def close(self) -> None:
        with self._lock:
            self._llm.close()
