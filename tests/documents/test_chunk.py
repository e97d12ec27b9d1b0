"""Passages: bounded in size, cut at sentence ends, overlapping by a sentence, pages kept (sizes in
characters here, cost=len; test_chunk_tokens.py has the default, estimated tokens)."""
import random

from app.documents.chunk import passages, split_text
from app.documents.extract import ExtractedDocument, Section


def sentences(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    words = "engine model token cache expert latent router memory context reply window".split()
    return [f"Fact {i}: the " + " ".join(rng.choice(words) for _ in range(rng.randint(4, 20))) + "."
            for i in range(n)]


def test_a_short_text_is_one_passage():
    assert split_text("  Hello there.\n\nSecond paragraph.\n") == ["Hello there.\n\nSecond paragraph."]


def test_long_text_is_cut_at_sentence_ends_with_every_sentence_whole_somewhere():
    facts = sentences(300)
    text = "\n\n".join(" ".join(facts[i:i + 5]) for i in range(0, len(facts), 5))
    chunks = split_text(text, size=600, overlap=120, cost=len)
    assert len(chunks) > 10
    assert all(len(c) <= 600 + 120 for c in chunks)
    for fact in facts:
        assert any(fact in c for c in chunks), fact
    # Each passage after the first starts with the end of the one before (when that end is short).
    starts_with_tail = sum(chunks[i + 1].split(".")[0] in chunks[i] for i in range(len(chunks) - 1))
    assert starts_with_tail >= len(chunks) // 2


def test_chinese_without_spaces_is_cut_at_its_full_stops():
    text = "".join(f"第{i}条：深度求索发布了新的模型，它在推理任务上表现很好。" for i in range(200))
    chunks = split_text(text, size=300, overlap=60, cost=len)
    assert all(len(c) <= 360 for c in chunks)
    assert all(c.endswith("。") for c in chunks)
    assert all(f"第{i}条：深度求索发布了新的模型，它在推理任务上表现很好。" in "".join(chunks) for i in range(200))


def test_a_sentence_longer_than_a_passage_is_hard_cut():
    chunks = split_text("x" * 2500, size=1000, overlap=150, cost=len)
    assert [len(c) for c in chunks] == [1000, 1000, 500]


def test_passages_keep_their_page_and_never_cross_one():
    doc = ExtractedDocument("a.pdf", "pdf", (Section(" ".join(sentences(40, 1)), "p. 1"),
                                             Section("Only this on page two.", "p. 2")), 2)
    got = passages(doc, size=500, overlap=100, cost=len)
    assert got[-1] == ("p. 2", "Only this on page two.")
    assert {loc for loc, _ in got[:-1]} == {"p. 1"}
    assert all("page two" not in text for _, text in got[:-1])
