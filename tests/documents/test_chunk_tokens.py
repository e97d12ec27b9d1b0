"""Passages are cut by estimated tokens (the default): one costs about the same share of the
context in every script, so a Chinese or Thai passage fits where an English one does; Thai,
which writes no sentence punctuation, is cut at its spaces; pages are kept."""
from app.documents.chunk import OVERLAP, SIZE, passages, split_text
from app.documents.extract import ExtractedDocument, Section
from runtime.prompting import estimate_tokens
from tests.fixtures.scripts import SCRIPTS


def long_text(script: str, n: int = 12) -> str:
    paras = SCRIPTS[script]
    return "\n\n".join(paras[i % len(paras)] for i in range(n))


def test_every_passage_costs_at_most_the_size_and_its_overlap_in_every_script():
    for script in SCRIPTS:
        chunks = split_text(long_text(script))
        assert len(chunks) > 1, script
        assert all(estimate_tokens(c) <= SIZE + OVERLAP for c in chunks), script


def test_a_chinese_passage_costs_as_many_tokens_as_an_english_one_not_as_many_characters():
    english, chinese = split_text(long_text("latin")), split_text(long_text("cjk"))
    full = [estimate_tokens(c) for c in english[:-1] + chinese[:-1]]  # each a full passage
    assert min(full) > SIZE / 2
    mean = sum(len(c) for c in chinese[:-1]) / len(chinese[:-1])
    assert mean < sum(len(c) for c in english[:-1]) / len(english[:-1]) / 3  # dearer characters, fewer of them


def test_thai_without_sentence_punctuation_is_cut_at_its_spaces():
    text = " ".join(SCRIPTS["thai"] * 4).replace("\n", " ")
    phrases = set(text.split(" "))
    chunks = split_text(text, overlap=0)
    assert len(chunks) > 2
    for chunk in chunks:  # whole phrases only: no cut inside a word
        assert set(chunk.split(" ")) <= phrases, chunk[:40]


def test_a_hindi_sentence_ends_at_its_danda():
    chunks = split_text(" ".join(SCRIPTS["devanagari"] * 3))
    assert len(chunks) > 3 and all(c[-1] in "।.;" for c in chunks)
    assert sum(c.endswith("।") for c in chunks) > len(chunks) // 2


def test_passages_keep_their_page_in_every_script():
    doc = ExtractedDocument("a.pdf", "pdf", (Section(long_text("cjk"), "p. 1"), Section(long_text("thai"), "p. 2")), 2)
    got = passages(doc)
    assert [loc for loc, _ in got] == sorted(loc for loc, _ in got)
    assert {loc for loc, text in got if "公司" in text} == {"p. 1"}
    assert {loc for loc, text in got if "สัญญา" in text} == {"p. 2"}
