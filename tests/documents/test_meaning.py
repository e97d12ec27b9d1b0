"""Questions in any language: passages ranked by meaning (the real multilingual model, real store
files, documents read as the window reads them) fused with bm25; vectors that outlive the process;
documents read before vectors existed; vectors that are damaged; a GGUF embedding model."""
import logging

import numpy as np
import pytest

from app.documents import embedding
from app.documents.meaning import embed_passages, meaning_order
from app.documents.quote import quote_documents
from app.documents.read import embed_documents, read_document
from app.store import open_store
from app.store.fusion import fused_order
from runtime.types import ChatMessage

# Four topics, each a paragraph about as long as a passage (chunk.py), so that each is quoted alone.
TOPICS_ZH = [
    "公司食堂每天中午十一点半开始供应午餐，菜单每周一更新，提供两荤两素和一份汤。" * 14,
    "员工停车场位于园区北门，每位员工限登记一辆车，访客车辆须在门卫处登记后停放在临时车位。" * 14,
    "金库的密码是七四二一，只有夜班保安主管知道，每季度更换一次，更换后须向总经理书面报告。" * 14,
    "年度体检安排在每年十月，由人力资源部统一预约医院，员工可以携带一名家属按团体价参加体检。" * 14,
]
TOPICS_EN = [
    "The canteen serves lunch from half past eleven; the menu changes every Monday and always has a soup. " * 6,
    "Staff parking is at the north gate; each employee may register one car, and visitors park in the guest bays. " * 6,
    "The vault code is 7421 and only the night security supervisor knows it; it is changed every quarter. " * 6,
    "The yearly health check is in October; human resources books the hospital and one relative may come along. " * 6,
]


@pytest.fixture(scope="module")
def model():
    found = embedding.embedder()
    assert isinstance(found, embedding.UniversalSentenceEncoder)  # the product's model is installed
    return found


def _read(store, tmp_path, name, paragraphs):
    path = tmp_path / name
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    cid = store.create_conversation().id
    read_document(store, cid, path)
    return cid


def _vault(passages) -> bool:
    return any("7421" in p.text or "七四二一" in p.text for p in passages)


@pytest.mark.parametrize("question, name, paragraphs", [
    ("Who knows the code of the vault?", "规定.txt", TOPICS_ZH),
    ("金库的密码谁知道？", "rules.txt", TOPICS_EN),
])
def test_a_question_finds_its_answer_in_a_document_in_another_language(tmp_path, model, question, name, paragraphs):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _read(store, tmp_path, name, paragraphs)
        passages = store.documents(cid)[0].passages
        assert passages >= 4
        # Before its vectors exist (the window lists a document before embedding it): words alone,
        # which share nothing with the question.
        history = [ChatMessage("user", question)]
        before = quote_documents(store, cid, history, 1024, 256, model=model)
        assert before.ranker in ("words", "start")
        assert embed_documents(store, cid) == passages
        history = [ChatMessage("user", question)]
        quoted = quote_documents(store, cid, history, 1024, 256, model=model)  # room for about one passage
        assert quoted.ranker in ("meaning", "words+meaning")
        assert _vault(quoted[:1])
        assert "Question: " + question in history[0].content



def test_as_the_window_asks_with_no_model_given_the_built_in_one_ranks_by_meaning(tmp_path):
    """The window and `deskseek passages` never pass a model: the store's choice (none set: the
    built-in one) embeds the passages and ranks them for the question."""
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _read(store, tmp_path, "规定.txt", TOPICS_ZH)
        assert embed_documents(store, cid) == store.documents(cid)[0].passages
        assert meaning_order(store, cid, "Who knows the code of the vault?")
        history = [ChatMessage("user", "Who knows the code of the vault?")]
        quoted = quote_documents(store, cid, history, 1024, 256)
        assert quoted.ranker in ("meaning", "words+meaning") and _vault(quoted[:1])

def test_vectors_survive_reopening_the_file(tmp_path, model):
    path = tmp_path / "h.sqlite3"
    with open_store(path) as store:
        cid = _read(store, tmp_path, "rules.txt", TOPICS_EN)
        embed_documents(store, cid)
        first = meaning_order(store, cid, "金库的密码", model)
    with open_store(path) as store:
        assert store.passages_without_vectors(cid, model.name, 4 * model.dim) == []
        assert len(store.passage_vectors(cid, model.name)) == store.documents(cid)[0].passages
        assert meaning_order(store, cid, "金库的密码", model) == first
        assert embed_passages(store, cid, model) == 0  # nothing to do twice


# Few of its words are in the answer ("knows"): words and meaning both rank (bm25 alone ranks when
# most of a question's words are in its best passage).
PARAPHRASED = "Who knows how to open the strongroom?"


def test_a_question_that_names_its_answer_is_ranked_by_its_words(tmp_path, model):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _read(store, tmp_path, "rules.txt", TOPICS_EN)
        embed_documents(store, cid)
        quoted = quote_documents(store, cid, [ChatMessage("user", "What is the vault code?")], 1024, 256, model=model)
        assert quoted.ranker == "words" and _vault(quoted[:1])


def test_a_document_read_before_vectors_still_answers_and_is_embedded_later(tmp_path, model):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _read(store, tmp_path, "rules.txt", TOPICS_EN)  # no vectors: as read by the last version
        history = [ChatMessage("user", PARAPHRASED)]
        quoted = quote_documents(store, cid, history, 1024, 256, model=model)
        assert quoted.ranker == "words" and _vault(quoted)
        # The next file read into the conversation embeds the older document's passages too.
        _path = tmp_path / "more.txt"
        _path.write_text("A short note about the garden.", encoding="utf-8")
        read_document(store, cid, _path)
        assert embed_documents(store, cid) == sum(d.passages for d in store.documents(cid))
        quoted = quote_documents(store, cid, [ChatMessage("user", PARAPHRASED)], 1024, 256, model=model)
        assert quoted.ranker == "words+meaning" and _vault(quoted[:1])


def test_damaged_vectors_are_left_out_and_made_again(tmp_path, model, caplog):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _read(store, tmp_path, "规定.txt", TOPICS_ZH)
        embed_documents(store, cid)
        seqs = [seq for seq, _ in store.passage_vectors(cid, model.name)]
        nan = np.full(model.dim, np.nan, dtype="<f4").tobytes()
        store.add_passage_vectors(model.name, [(seqs[0], b"\x00" * 12), (seqs[1], nan), (seqs[2], b"")])
        with caplog.at_level(logging.WARNING):
            order = meaning_order(store, cid, "Who knows the vault code?", model)
        assert order and set(order) <= set(seqs[3:])  # only the sound vectors are compared
        assert "3 passage vector(s) of the wrong size or not finite" in caplog.text
        # The wrong-sized ones are missing to the embedder, so the next reading makes them again;
        # a full-sized vector that is not finite is replaced when the model changes or the
        # document is read again, and never compared meanwhile.
        missing = [seq for seq, _ in store.passages_without_vectors(cid, model.name, 4 * model.dim)]
        assert missing == [seqs[0], seqs[2]]
        assert embed_documents(store, cid) == 2
        quoted = quote_documents(store, cid, [ChatMessage("user", "Who knows the vault code?")], 1024, 256, model=model)
        assert _vault(quoted[:1])


def test_removing_a_document_removes_its_vectors(tmp_path, model):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _read(store, tmp_path, "rules.txt", TOPICS_EN)
        embed_documents(store, cid)
        store.remove_document(store.documents(cid)[0].id)
        with store._read() as db:
            assert db.conn.execute("SELECT count(*) FROM passage_vectors").fetchone()[0] == 0


def test_vectors_for_passages_removed_meanwhile_are_not_stored(tmp_path, model):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _read(store, tmp_path, "rules.txt", TOPICS_EN)
        todo = store.passages_without_vectors(cid, model.name, 4 * model.dim)
        store.remove_document(store.documents(cid)[0].id)  # the user took it away while it was embedded
        rows = [(seq, np.zeros(model.dim, "<f4").tobytes()) for seq, _ in todo]
        assert store.add_passage_vectors(model.name, rows) == 0


def test_rank_fusion_prefers_what_both_rankings_like():
    assert fused_order([1, 2, 3], [3, 4, 1]) == [1, 3, 2, 4]
    assert fused_order([], [5, 6]) == [5, 6]
    assert fused_order([7], []) == [7]


def test_a_gguf_model_embeds_through_llama_cpp(tmp_path):
    from tests.fixtures.models.real import need_smollm2

    gguf = need_smollm2()  # a chat model, not an embedding model: it shows the path works, not recall
    with open_store(tmp_path / "h.sqlite3") as store:
        store.set_setting(embedding.EMBEDDING_MODEL_SETTING, str(gguf))
        cid = _read(store, tmp_path, "rules.txt", TOPICS_EN)
        assert embed_documents(store, cid) == store.documents(cid)[0].passages
        chosen = embedding.embedder(str(gguf))
        assert chosen.name.startswith("gguf:") and chosen.dim > 0
        stored = store.passage_vectors(cid, chosen.name)
        assert len(stored) == store.documents(cid)[0].passages and all(len(blob) == 4 * chosen.dim for _, blob in stored)
        rows = np.vstack([np.frombuffer(blob, "<f4") for _, blob in stored])
        assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-3)
        quoted = quote_documents(store, cid, [ChatMessage("user", PARAPHRASED)], 1024, 256)
        assert quoted.ranker == "words+meaning"


def test_a_file_that_is_no_model_falls_back_to_the_built_in_one(tmp_path, caplog):
    bad = tmp_path / "not-a-model.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 64)
    with caplog.at_level(logging.WARNING):
        chosen = embedding.embedder(str(bad))
    assert isinstance(chosen, embedding.UniversalSentenceEncoder)
    [said] = [r.getMessage() for r in caplog.records if "could not be loaded" in r.getMessage()]
    head = f"embedding model {bad} could not be loaded ("
    assert said.startswith(head) and said.endswith("); using the built-in one")
    assert str(bad) in said[len(head):]  # llama.cpp's own reason, which names the file


def test_two_questions_in_a_row_are_each_ranked_by_their_own_meaning(tmp_path, model):
    """Question vectors are kept (the last ones asked): the second question must get its own."""
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _read(store, tmp_path, "rules.txt", TOPICS_EN)
        text_of = dict(store.passages_without_vectors(cid, model.name, 1000))
        embed_documents(store, cid)
        first = meaning_order(store, cid, "Who knows the code of the vault?", model)
        second = meaning_order(store, cid, "Where do visitors leave their cars?", model)
        assert "7421" in text_of[first[0]] and "guest bays" in text_of[second[0]]
        assert second != first  # not the first question's vector again (passage 3 holds both topics)


def test_the_closest_passages_come_best_first_ties_in_their_order():
    """Best first; among all of them ties keep the passages' order (cut to a limit, which of the
    tied make it is argpartition's choice: equal vectors, the same text)."""
    from app.documents.meaning import top

    assert top([10, 11, 12], np.array([0.1, 0.9, 0.5]), 3) == [11, 12, 10]  # exactly the limit
    scores = np.arange(60, dtype=np.float32)[::-1] / 100  # seq n scores (59 - n) / 100
    assert top(list(range(60)), scores, 50) == list(range(50))
    assert top(list(range(60)), scores[::-1].copy(), 5) == [59, 58, 57, 56, 55]
    tied = np.random.default_rng(0).integers(0, 3, 100).astype(np.float32)  # three scores, many ties
    expected = [n for level in (2, 1, 0) for n in range(100) if tied[n] == level]
    assert top(list(range(100)), tied, 100) == expected
