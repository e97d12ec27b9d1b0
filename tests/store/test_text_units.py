"""Where a document's text is cut (text_units): the chunker's passages and a quoted excerpt are
made of these units, so a unit that loses a character, or a sentence cut that did not need to
be, is text the model never reads. Sentences cover the text in order, each ending at a sentence
end or a line break; a sentence that fits the size stays whole; a longer one is cut at its last
space that fits, else by length."""
from hypothesis import given, settings
from hypothesis import strategies as st

from app.store.text_units import BREAK, cut_to_size, longest_prefix_within, sentence_spans, unit_spans
from runtime.prompting import estimate_tokens

PROPERTY = settings(max_examples=300, deadline=None, derandomize=True)
PIECES = ["word", "Word", " ", "  ", ". ", "! ", "? ", "; ", ".", "\n", "\n\n", "。", "！", "；", "数据库",
          "你好", "। ", "؟ ", "ประกัน", "深", "x"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@PROPERTY
@given(texts)
def test_sentences_cover_the_text_in_order_each_ending_at_a_break(text):
    spans = sentence_spans(text)
    assert "".join(text[a:b] for a, b in spans) == text  # not a character lost or doubled
    assert all(a < b for a, b in spans)
    assert [a for a, _ in spans[1:]] == [b for _, b in spans[:-1]]
    for _, end in spans[:-1]:  # every sentence but the last ends just after a break
        assert any(m.end() == end for m in BREAK.finditer(text))


def test_sentences_of_a_text_starting_with_its_first_word():
    text = "Open at eight. Closed at six.\n营业到六点。欢迎！"
    assert [text[a:b] for a, b in sentence_spans(text)] == \
        ["Open at eight. ", "Closed at six.\n", "营业到六点。", "欢迎！"]


@PROPERTY
@given(texts, st.integers(1, 12))
def test_units_cover_the_text_each_within_the_size_or_one_character(text, size):
    spans = unit_spans(text, size, len)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(0 < b - a <= size for a, b in spans)


def test_a_sentence_costing_exactly_the_size_stays_whole():
    sentence = "The vault opens at nine sharp."
    assert [sentence[a:b] for a, b in unit_spans(sentence, len(sentence), len)] == [sentence]
    assert list(cut_to_size(sentence, len(sentence), len)) == [sentence]
    assert list(cut_to_size(sentence, len(sentence) - 1, len)) == ["The vault opens at nine ", "sharp."]
    chinese = "金库的密码是七四二一。"
    cost = estimate_tokens(chinese)
    assert list(cut_to_size(chinese, cost, estimate_tokens)) == [chinese]


@PROPERTY
@given(texts.filter(bool), st.integers(0, 40))
def test_the_longest_start_within_a_budget(text, budget):
    start = longest_prefix_within(text, budget, estimate_tokens)
    assert text.startswith(start) and start
    assert len(start) == 1 or estimate_tokens(start) <= budget
    assert start == text or estimate_tokens(text[:len(start) + 1]) > budget
