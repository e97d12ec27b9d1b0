"""The piece of a message shown under a search hit: where its window starts and ends, its
ellipses, and which matches it highlights, exactly."""
import re

from app.store.snippet import make_snippet

WORD = [re.compile(r"\bdeepseek\b", re.IGNORECASE)]
TEXT = "." * 300                                         # no match, no word characters


def with_word_at(pos: int, text: str = TEXT) -> str:
    return text[:pos] + "DeepSeek" + text[pos + 8:]


def test_the_window_starts_a_third_of_its_width_before_the_first_match():
    text = with_word_at(100)
    assert make_snippet(text, WORD, width=120) == ("…" + text[60:180] + "…", ((41, 49),))


def test_a_match_near_the_start_shows_the_text_from_its_beginning():
    text = with_word_at(10)
    assert make_snippet(text, WORD, width=120) == (text[:120] + "…", ((10, 18),))
    text = with_word_at(0)
    assert make_snippet(text, WORD, width=120) == (text[:120] + "…", ((0, 8),))
    text = with_word_at(41)                               # the window starts at 1: one "…"
    assert make_snippet(text, WORD, width=120) == ("…" + text[1:121] + "…", ((41, 49),))


def test_no_match_shows_the_beginning_and_short_text_has_no_ellipsis():
    assert make_snippet(TEXT, WORD, width=120) == (TEXT[:120] + "…", ())
    assert make_snippet("a deepseek b", WORD, width=120) == ("a deepseek b", ((2, 10),))
    exact = with_word_at(0, TEXT[:120])                   # exactly the width: nothing cut
    assert make_snippet(exact, WORD, width=120) == (exact, ((0, 8),))


def test_line_breaks_become_spaces():
    assert make_snippet("one\ntwo deepseek", WORD) == ("one two deepseek", ((8, 16),))


def test_highlights_inside_the_window_only_never_overlapping_adjacent_kept():
    text = with_word_at(200, with_word_at(100))           # the second one is past the window
    assert make_snippet(text, WORD, width=120)[1] == ((41, 49),)
    text = with_word_at(72, with_word_at(0))              # the second ends exactly at the window's end
    assert make_snippet(text, WORD, width=80)[1] == ((0, 8), (72, 80))
    both = [re.compile("深度"), re.compile("深度求索")]      # overlapping: the first found is kept
    assert make_snippet("用深度求索", both)[1] == ((1, 3),)
    assert make_snippet("模型模型", [re.compile("模型")])[1] == ((0, 2), (2, 4))
