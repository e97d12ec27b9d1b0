"""Passages ranked by meaning: vectors made on the reading thread, kept in the store, searched
with numpy (a matrix product over the conversation's passages: 100k passages take milliseconds,
bench/RESULTS.md), offered to the store's ranking beside bm25 (app.store.passage_ranking)."""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Callable

import numpy as np

from app.documents.embedding import BATCH, EMBEDDING_MODEL_SETTING, Embedder, embedder
from app.store import Store

log = logging.getLogger(__name__)

CANDIDATES = 50
# How far below the closest passage (cosine) a passage may be and still be offered: the rest are
# only less unrelated, and would fill the budget in reading order before the answer. Chosen on
# bench/docs_eval (bench/RESULTS.md).
MARGIN = 0.1
# Question vectors kept, by model and text: a question asked again (regenerate, continue, the
# same words in another turn) finds its vector made.
ASKED = 8
_asked: "OrderedDict[tuple[str, str], np.ndarray]" = OrderedDict()
_asked_lock = threading.Lock()


def conversation_embedder(store: Store) -> Embedder | None:
    """The embedding model this store's user chose (a GGUF path in the settings), else the built-in one."""
    return embedder(store.get_setting(EMBEDDING_MODEL_SETTING, "") or "")


def embed_passages(store: Store, conversation_id: str, model: Embedder | None = None,
                   stop: Callable[[], bool] = lambda: False) -> int:
    """Give every passage of the conversation that has none a vector of `model` (the store's
    choice by default), a batch at a time, each batch stored at once (a question asked meanwhile
    uses the vectors there are); `stop()` ends it between batches. Returns how many were made."""
    model = model or conversation_embedder(store)
    if model is None:
        return 0
    todo = store.passages_without_vectors(conversation_id, model.name, 4 * model.dim)
    made, size = 0, getattr(model, "batch", BATCH)
    for start in range(0, len(todo), size):
        if stop():
            break
        batch = todo[start:start + size]
        matrix = model.passages([text for _, text in batch])
        made += store.add_passage_vectors(model.name, [(seq, _to_blob(row)) for (seq, _), row in zip(batch, matrix)])
    return made


def meaning_order(store: Store, conversation_id: str, question: str, model: Embedder | None = None,
                  limit: int = CANDIDATES, margin: float = MARGIN) -> list[int]:
    """Passage seqs of the conversation, closest in meaning to `question` first, those within
    `margin` (cosine) of the closest; [] when no model or no passage has a vector yet. A vector of the wrong size or not finite (a damaged file, a
    model that changed its output) is left out, and logged, never compared."""
    model = model or conversation_embedder(store)
    if model is None or not question.strip():
        return []
    seqs, matrix = vectors_of(store.passage_vectors(conversation_id, model.name), model.dim)
    if not seqs:
        return []
    scores = matrix @ question_vector(model, question)
    close = scores >= scores.max() - margin  # not the merely less unrelated: they would fill the budget
    return top([s for s, ok in zip(seqs, close) if ok], scores[close], limit)


def question_vector(model: Embedder, question: str) -> np.ndarray:
    """`model`'s vector of `question`, made once (the last ASKED questions are kept): ~2 ms
    of USE on a busy machine (bench/RESULTS.md; a GGUF model takes longer), which the window spends
    on the thread that plans the turn, not the GUI's."""
    key = (model.name, question)
    with _asked_lock:
        found = _asked.get(key)
    if found is None:
        found = model.query(question)
        with _asked_lock:
            _asked[key] = found
            while len(_asked) > ASKED:
                _asked.popitem(last=False)
    return found


def vectors_of(rows: list[tuple[int, bytes]], dim: int) -> tuple[list[int], np.ndarray]:
    """The rows' vectors as one (n, dim) float32 matrix, without those that are not `dim` finite floats."""
    size = 4 * dim
    sized = [(seq, blob) for seq, blob in rows if len(blob) == size]
    matrix = np.frombuffer(b"".join(blob for _, blob in sized), dtype="<f4").reshape(len(sized), dim)
    finite = np.isfinite(matrix).all(axis=1)
    refused = len(rows) - int(finite.sum())
    if refused:
        log.warning("%d passage vector(s) of the wrong size or not finite were left out", refused)
    if not finite.all():
        matrix = matrix[finite]
        sized = [row for row, ok in zip(sized, finite) if ok]
    return [seq for seq, _ in sized], matrix


def top(seqs: list[int], scores: np.ndarray, limit: int) -> list[int]:
    """The `limit` seqs with the highest scores, best first (argpartition: no full sort of 100k)."""
    if len(seqs) > limit:
        best = np.argpartition(-scores, limit)[:limit]
    else:
        best = np.arange(len(seqs))
    best = best[np.argsort(-scores[best], kind="stable")]
    return [seqs[i] for i in best]


def _to_blob(row: np.ndarray) -> bytes:
    return np.asarray(row, dtype="<f4").tobytes()
