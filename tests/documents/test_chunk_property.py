"""The chunker's rules for any text, Chinese or English, and the exact cuts where a threshold
decides them, in characters (cost=len: the rules are the same for any additive measure, and a
threshold is exact in characters; test_chunk_tokens.py cuts by estimated tokens): passages
cover the text in order, each within size plus its overlap, each after
the first starting with the last whole sentences of the one before that fit in the overlap, and
every passage keeps its section's location."""
import re

from hypothesis import given, settings, strategies as st

from app.documents.chunk import _BREAK, passages, split_text
from app.documents.extract import ExtractedDocument, Section

WORDS = ["engine", "model", "cache", "token", "深度求索", "模型", "推理", "上下文", "x" * 30]
SEPARATORS = [" ", " ", " ", ". ", "! ", "; ", "。", "！", "；", "\n", "\n\n", ".\n\n", "。\n\n"]


@st.composite
def texts(draw):
    parts = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=60))
    return "".join(w + s for w, s in parts)


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def overlaps(previous: str, overlap: int) -> list[str]:
    """What the next passage may repeat: the last whole sentences or lines of `previous` that fit
    in `overlap` (nothing when none fits); the whole passage when it fits and began at a break."""
    cuts = [m.end() for m in _BREAK.finditer(previous) if len(previous) - overlap <= m.end() < len(previous)]
    tail = previous[cuts[0]:].lstrip() if overlap > 0 and cuts else ""
    return [tail] + ([previous] if 0 < len(previous) <= overlap else [])


def covers(text: str, chunks: list[str], overlap: int) -> bool:
    """The chunks, each less what it repeats of the one before, are the text (blanks aside)."""
    def walk(i: int, done: str) -> bool:
        if i == len(chunks):
            return done == no_space(text)
        repeats = overlaps(chunks[i - 1], overlap) if i else [""]
        return any(chunks[i].startswith(r) and no_space(text).startswith(done + no_space(chunks[i][len(r):]))
                   and walk(i + 1, done + no_space(chunks[i][len(r):])) for r in repeats)
    return walk(0, "")


@settings(max_examples=300, deadline=None)
@given(st.lists(texts(), min_size=1, max_size=3), st.integers(8, 120), st.data())
def test_passages_cover_each_section_in_order_within_size_with_the_stated_overlap(sections, size, data):
    overlap = data.draw(st.integers(0, size))
    doc = ExtractedDocument("a.pdf", "pdf", tuple(Section(t.lstrip(), f"p. {i + 1}") for i, t in enumerate(sections)),
                            len(sections))
    got = passages(doc, size=size, overlap=overlap, cost=len)
    for i, section in enumerate(doc.sections):
        chunks = [text for loc, text in got if loc == section.location]
        assert chunks == [text for loc, text in got if loc == f"p. {i + 1}"]
        assert all(c and c == c.strip() for c in chunks)
        assert all(len(c) <= size + overlap + 1 for c in chunks)
        assert covers(section.text, chunks, overlap), chunks
    # Reading order: every section's passages come before the next section's.
    assert [loc for loc, _ in got] == sorted((loc for loc, _ in got), key=lambda loc: int(loc[3:]))


def test_a_passage_fills_up_to_exactly_the_size():
    assert split_text("Abcd.\n\nEfgh.\n\n", size=14, overlap=0, cost=len) == ["Abcd.\n\nEfgh."]
    assert split_text("Abcd.\n\nEfgh.\n\n", size=13, overlap=0, cost=len) == ["Abcd.", "Efgh."]


def test_paragraphs_that_fit_are_passages_of_their_own():
    text = "One is here. Two is here.\n\nThree is here. Four.\n\n"
    assert split_text(text, size=30, overlap=0, cost=len) == ["One is here. Two is here.", "Three is here. Four."]


def test_a_paragraph_of_exactly_the_size_is_not_cut():
    para = "Abcd. " * 4 + "Efgh."            # 29 characters
    assert split_text("Hi.\n\n" + para, size=len(para), overlap=0, cost=len) == ["Hi.", para]


def test_a_long_paragraph_is_cut_into_runs_of_sentences_of_a_quarter_size():
    # 10-character sentences, size 100: runs of 3 (>= 25 characters), so 3 runs fill a passage.
    assert split_text("Abcdefgh. " * 30, size=100, overlap=0, cost=len)[0] == ("Abcdefgh. " * 9).strip()
    # 5-character sentences: a run of exactly a quarter (25 of 102, rounded down) is cut there.
    assert split_text("Abc. " * 60, size=102, overlap=0, cost=len)[0] == ("Abc. " * 20).strip()



def test_each_run_is_weighed_from_its_own_first_sentence():
    """Size 40, runs of 10 characters or more, a passage cut only between runs. First text: the
    first run is S0+S1 (9 + 4), not S0 alone. Second: after a run of exactly 10 (S0) the next is
    weighed from nothing: S1 (11), then S2+S3 (9 + 11), not S2 alone."""
    assert split_text("S0xxxxx. S1. S2xxxxx. S3xxxxx. S4xxxxxx. ", size=40, overlap=0, cost=len) == \
        ["S0xxxxx. S1. S2xxxxx. S3xxxxx.", "S4xxxxxx."]
    assert split_text("S0xxxxxx. S1xxxxxxx. S2xxxxx. S3xxxxxxx. ", size=40, overlap=0, cost=len) == \
        ["S0xxxxxx. S1xxxxxxx.", "S2xxxxx. S3xxxxxxx."]


def test_the_overlap_is_the_last_sentences_that_fit_exactly():
    assert split_text("Aaaa. Bbbb.\n\nCc.", size=13, overlap=5, cost=len) == ["Aaaa. Bbbb.", "Bbbb.\nCc."]
    assert split_text("Aaaa. Bbbb.\n\nCc.", size=13, overlap=4, cost=len) == ["Aaaa. Bbbb.", "Cc."]


def test_a_one_character_overlap_and_the_separator_kept():
    # After a paragraph end the repeated sentence is followed by a line break, else by a space.
    assert split_text("Abc. D\n\nEfg.", size=8, overlap=1, cost=len) == ["Abc. D", "D\nEfg."]
    assert split_text("Abc. D. Efg.", size=8, overlap=2, cost=len) == ["Abc. D.", "D. Efg."]


def test_a_chinese_passage_ending_in_a_full_stop_repeats_nothing_when_no_sentence_fits():
    assert split_text("一二三四。" * 6, size=10, overlap=2, cost=len) == ["一二三四。一二三四。"] * 3


def test_passages_use_the_size_and_overlap_given():
    doc = ExtractedDocument("a.txt", "text", (Section("Abc. D\n\nEfg.", ""),), 1)
    assert passages(doc, size=8, overlap=0, cost=len) == [("", "Abc. D"), ("", "Efg.")]


def test_the_repeated_sentence_counts_without_the_line_break_before_it():
    # The overlap starts after the blank line ("Bb", not "\nBb"), so "Dd" still fits with it.
    assert split_text("Aaa\n\nBb\n\nCc\n\nDd", size=9, overlap=4, cost=len) == ["Aaa\n\nBb", "Bb\nCc\n\nDd"]


def test_a_passage_is_at_most_size_plus_overlap_plus_its_separator():
    assert split_text("Abc. D\n\nEfghijkl", size=8, overlap=1, cost=len) == ["Abc. D", "D\nEfghijkl"]
