"""Questions across Chinese and English by their words: the dictionary's terms, and the passages
they find in a real history file with no embedding model at all (bm25 alone)."""
from __future__ import annotations

import logging

import pytest

from app.documents.quote import quote_documents
from app.store import passage_ranking, translated_terms
from app.store.translated_terms import (chinese_terms, chinese_words, dictionary, english_terms,
                                        other_language_query)
from runtime.types import ChatMessage


class NoMeaning:
    """An embedding model with no vectors stored under its name: the passages rank by words only."""
    name, dim = "none", 1

    def query(self, text):  # never reached: no passage has a vector of this name
        raise AssertionError(text)


def test_the_dictionary_is_cc_cedict_both_ways():
    book = dictionary()
    assert len(book.zh_en) > 100_000 and len(book.en_zh) > 50_000
    assert {"net", "profit"} <= set(book.english("净利润"))
    assert "净利润" in book.chinese("net profit")
    assert dictionary() is book  # parsed once per process
    # Every English key is a phrase a question can be cut into (lower-case words, one space between).
    word = translated_terms._WORD
    assert all(" ".join(word.findall(phrase)) == phrase and len(phrase) > 1 for phrase in book.en_zh)


def test_chinese_is_cut_into_dictionary_words_longest_first():
    book = dictionary()
    assert chinese_words("鹿特丹的办事处", book.zh_en, book.longest) == ["鹿特丹", "的", "办事处"]
    # A character the dictionary does not know stands alone rather than being lost.
    assert chinese_words("\U0002a6a5净利润", book.zh_en, book.longest) == ["\U0002a6a5", "净利润"]


def test_a_chinese_question_s_english_words_skip_what_only_asks():
    terms = english_terms("鹿特丹的办事处是什么时候开的？")
    assert "rotterdam" in terms and "office" in terms
    assert english_terms("的是多少？") == []  # particles and question words translate to nothing
    assert all(len(t) > 2 for t in terms)


def test_an_english_question_s_chinese_words_take_the_longest_phrase_and_singulars():
    assert "净利润" in chinese_terms("What net profit did the company report?")
    assert "存货" in chinese_terms("What were the inventories at year end?")
    # A phrase must start and end with a word that says something: "what is" is not 何为.
    assert "何为" not in chinese_terms("What is the meal allowance?")
    assert chinese_terms("What is it?") == []
    # The question's first word is looked up too (no "what" before it here).
    assert chinese_terms("economy class") == ["经济舱"]
    # Both ends: "in addition" starts with a word that only joins, so no 并且 (which half the
    # Chinese passages hold) for "In addition, ...".
    assert "并且" not in chinese_terms("In addition, the fee is due.")
    # A plural phrase is looked up as its singular, as a word is: the senses are singular.
    assert chinese_terms("Are credit cards accepted?")[0] == "信用卡"
    assert "净利润" in chinese_terms("Net profits fell.") and "汇率" in chinese_terms("exchange rates")
    assert "税率" in chinese_terms("the tax rates") and "抽税" not in chinese_terms("the tax rates")


def test_the_other_language_query_searches_the_translated_words_or_nothing():
    """As passage_ranking asks it: the Chinese question's English words, the English question's
    Chinese (as FTS5 pairs); "" when the question has no word to translate, so no search is run."""
    assert other_language_query("经济舱") == '"economy" OR "class"'
    assert other_language_query("economy class") == '"经济" OR "济舱"'
    assert other_language_query("What is it?") == ""


ENGLISH_MANUAL = [
    "The RX-9 pump is delivered with a stainless steel impeller and a cast iron volute casing.",
    "The wet well floor must be poured in concrete at least 250 millimetres thick.",
    "The control cabinet may stand at most 15 metres from the well; longer cables need a relay box.",
    "Alarm E42 means that the float switch reports high water while both pumps are stopped.",
    "Service the mechanical seals every 4,000 running hours or once a year, whichever comes first.",
]
CHINESE_POLICY = [
    "员工出差前须填写出差申请单，经部门负责人审批后方可出行。",
    "伙食补助标准为每人每天一百元，由接待单位安排用餐的不再发放。",
    "住宿费按城市分类标准凭发票在限额内报销，超出部分由个人承担。",
    "出差期间乘坐飞机应选择经济舱，副总经理以上人员可乘坐公务舱。",
    "在鹿特丹设立的欧洲销售办事处负责荷兰及周边国家的客户服务。",
]
ENGLISH_REPORT = [
    "In February the company opened a sales and service office in Rotterdam for Benelux customers.",
    "Net profit attributable to shareholders rose to RMB 612 million, up 9.3 percent.",
    "Inventories at the end of the year stood at RMB 1.08 billion, slightly below the year before.",
]


def _conversation(store, *documents: tuple[str, list[str]]) -> str:
    cid = store.create_conversation().id
    for name, texts in documents:
        store.add_document(cid, name, "\n".join(texts).encode(), "text", 0, [("", t) for t in texts])
    return cid


@pytest.mark.parametrize("question, answer", [
    ("湿井的混凝土底板要多厚？", "at least 250 millimetres thick"),
    ("控制柜离井最远可以多远？", "at most 15 metres from the well"),
    ("机械密封多久保养一次？", "Service the mechanical seals"),
])
def test_a_chinese_question_finds_the_english_passage_by_words_alone(store, question, answer):
    """No embedding model: before the dictionary, bm25 over Chinese pairs found nothing in an
    English manual, and the documents' start was quoted instead."""
    cid = _conversation(store, ("policy.txt", CHINESE_POLICY), ("manual.txt", ENGLISH_MANUAL))
    with store._read() as db:
        ranked, ranker = passage_ranking.ranked_passages(db.conn, cid, question)
    assert answer in ranked[0].text
    assert ranker == passage_ranking.WORDS


@pytest.mark.parametrize("question, answer", [
    ("How much is the meal subsidy per day?", "伙食补助标准为每人每天一百元"),
    ("Which class may staff fly on a business trip?", "经济舱"),
])
def test_an_english_question_finds_the_chinese_passage_by_words_alone(store, question, answer):
    cid = _conversation(store, ("manual.txt", ENGLISH_MANUAL), ("policy.txt", CHINESE_POLICY))
    with store._read() as db:
        ranked, _ = passage_ranking.ranked_passages(db.conn, cid, question)
    # Among the first three: the English words of the question ("may", "staff") find manual
    # passages too, and a dictionary gives several Chinese words a question might mean. Without
    # the dictionary no Chinese passage is ranked at all.
    assert answer in " ".join(p.text for p in ranked[:3])


def test_the_quoted_question_carries_the_other_language_s_answer(store):
    """Through quote_documents, as the window quotes: the Chinese question about an English
    report goes out with the Rotterdam passage, though Chinese passages of another document
    share its Chinese words (鹿特丹, 办事处)."""
    cid = _conversation(store, ("policy.txt", CHINESE_POLICY * 8), ("report.txt", ENGLISH_REPORT))
    history = [ChatMessage("user", "恒远什么时候在荷兰开了销售服务办事处？")]
    quoted = quote_documents(store, cid, history, 1024, 256, model=NoMeaning())
    assert any("opened a sales and service office in Rotterdam" in p.text for p in quoted)
    assert "Rotterdam" in history[0].content


def test_a_question_that_names_its_answer_is_not_translated(store, monkeypatch):
    """Same-language questions whose words are in their best passage rank by those words alone:
    the dictionary is not even asked (its look-alikes would crowd the budget)."""
    asked = []
    monkeypatch.setattr(passage_ranking, "other_language_query", lambda q: asked.append(q) or "")
    cid = _conversation(store, ("manual.txt", ENGLISH_MANUAL), ("policy.txt", CHINESE_POLICY))
    with store._read() as db:
        ranked, ranker = passage_ranking.ranked_passages(db.conn, cid, "How thick is the wet well floor concrete?")
    assert "250 millimetres" in ranked[0].text and ranker == passage_ranking.WORDS
    assert asked == []
    with store._read() as db:
        passage_ranking.ranked_passages(db.conn, cid, "湿井底板多厚？")
    assert asked == ["湿井底板多厚？"]


def test_a_dictionary_that_cannot_be_read_leaves_the_question_as_it_was(store, monkeypatch, caplog):
    """A damaged install: the question is answered as before the dictionary (here, with no
    word in common, from the documents' start), and the log says why."""
    def broken(question):
        raise OSError("cedict_1_0_ts_utf-8_mdbg.txt.gz: damaged")

    monkeypatch.setattr(passage_ranking, "other_language_query", broken)
    cid = _conversation(store, ("manual.txt", ENGLISH_MANUAL))
    with caplog.at_level(logging.ERROR, logger=passage_ranking.__name__), store._read() as db:
        ranked, ranker = passage_ranking.ranked_passages(db.conn, cid, "湿井底板多厚？")
    assert ranker == passage_ranking.START and ranked[0].text == ENGLISH_MANUAL[0]
    assert "bilingual dictionary" in caplog.text and "damaged" in caplog.text


def test_the_dictionary_is_parsed_once_under_concurrent_first_calls(monkeypatch):
    import threading

    monkeypatch.setattr(translated_terms, "_loaded", None)
    parses = []
    real = translated_terms._parse
    monkeypatch.setattr(translated_terms, "_parse", lambda lines: parses.append(1) or real(lines))
    books = []
    threads = [threading.Thread(target=lambda: books.append(dictionary())) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(parses) == 1 and books[0] is books[1] is books[2]


def test_an_english_plural_is_looked_up_as_its_singular():
    """The dictionary's English senses are singular: "-ies" of five letters or more becomes "-y",
    a final "s" of four letters or more goes, "ss" stays (and short words stay as they are)."""
    from app.store.translated_terms import _singular

    words = ["cities", "flies", "ties", "dies", "cars", "bus", "gas", "glass", "boss", "keys", "s", "ies"]
    assert [_singular(w) for w in words] == ["city", "fly", "tie", "die", "car", "bus", "gas", "glass", "boss",
                                             "key", "s", "ies"]


def test_a_word_whose_plural_is_its_own_entry_keeps_its_own_meaning():
    """The singular is only the fallback: "news" is 新闻, not the words for "new"; "customs" is
    海关, not 习俗 (custom); "goods" 物品, not 良好 (good)."""
    assert chinese_terms("news")[0] == "新闻" and "新奇" not in chinese_terms("news")
    assert chinese_terms("customs")[0] == "海关" and chinese_terms("goods")[0] == "物品"


def test_a_word_the_dictionary_does_not_have_has_no_translation():
    book = dictionary()
    assert book.english("\U0002a6a5") == [] and book.chinese("xyzzyplugh") == []


def test_the_parse_pauses_garbage_collection_and_gives_it_back(monkeypatch):
    """The parse runs with the cyclic collector off (bench/bench_embedding_gui.py: its collections
    held the window up to 110 ms); left off afterwards, every cycle the window makes would leak."""
    import gc

    monkeypatch.setattr(translated_terms, "_loaded", None)
    during = []
    real = translated_terms._parse
    monkeypatch.setattr(translated_terms, "_parse", lambda lines: during.append(gc.isenabled()) or real(lines))
    assert gc.isenabled()
    dictionary()
    assert during == [False] and gc.isenabled()
    # And when the caller had it off, it stays off.
    monkeypatch.setattr(translated_terms, "_loaded", None)
    gc.disable()
    try:
        dictionary()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_dictionary_reads_the_same_on_a_machine_whose_locale_is_not_utf8(tmp_path):
    """A Windows PC in a Western code page reads text files as cp1252 unless told otherwise;
    here the C locale (ASCII) stands for it: the file is UTF-8 whatever the machine's locale."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, LC_ALL="C", LANG="C", PYTHONCOERCECLOCALE="0", PYTHONUTF8="0", PYTHONIOENCODING="utf-8")
    code = ("import locale; from app.store.translated_terms import dictionary; b = dictionary(); "
            "print(locale.getpreferredencoding(False), ascii(b.chinese('tokyo')), b.english('\\u51c0\\u5229\\u6da6'))")
    out = subprocess.run([sys.executable, "-X", "utf8=0", "-c", code], env=env, capture_output=True, text=True,
                         encoding="utf-8", timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split(" ", 1)[0] in ("ANSI_X3.4-1968", "ascii", "US-ASCII")  # the locale took
    assert "['\\u4e1c\\u4eac'] ['net', 'profit']" in out.stdout  # 东京, and 净利润's English
