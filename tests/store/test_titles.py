"""A new conversation's title, from its first question, as the sidebar lists it: the first line
that is not blank, whitespace collapsed, Markdown marks around it dropped; a line over 48
characters is cut at its last space (unless that keeps half of it or less) and ends in "…",
without the comma or full stop the cut left at its end."""
from app.store.titles import MAX_TITLE_CHARS, title_from_text


def test_a_question_of_48_characters_or_fewer_is_the_whole_title():
    line = "Why does my rice burn at the bottom of the pot??"
    assert len(line) == MAX_TITLE_CHARS == 48
    assert title_from_text(line) == line
    assert title_from_text("\n\n  ## How do I   cook rice?\nmore") == "How do I cook rice?"


def test_only_markdown_marks_and_spaces_are_taken_off_the_ends():
    assert title_from_text("XML or JSON for a config file X") == "XML or JSON for a config file X"
    assert title_from_text("> **quote** - `code`") == "quote** - `code"
    assert title_from_text(" \n\t\n") == ""  # nothing to name it by: the window says "New chat"


def test_a_long_question_is_cut_at_its_last_space_within_48_characters():
    assert title_from_text("How do I connect my new controller to an XBOX X wirelessly please and quickly") == \
        "How do I connect my new controller to an XBOX X…"
    assert title_from_text("Supercalifragilisticexpialidocious-ish words and more words to go past it") == \
        "Supercalifragilisticexpialidocious-ish words…"


def test_the_comma_or_full_stop_before_the_cut_is_dropped():
    assert title_from_text("Please tell me, in great detail, about rice, and also about wheat") == \
        "Please tell me, in great detail, about rice…"
    assert title_from_text("我" * 47 + "，" + "你" * 10) == "我" * 47 + "…"
    assert title_from_text("中" * 100) == "中" * 48 + "…"


def test_a_last_space_in_the_first_half_is_not_a_cut_point():
    """A word boundary at character 24 or before would throw away half the title: the cut is at 48."""
    assert title_from_text("a" * 24 + " " + "b" * 40) == "a" * 24 + " " + "b" * 23 + "…"
    assert title_from_text("a" * 20 + " " + "b" * 40) == "a" * 20 + " " + "b" * 27 + "…"
    assert title_from_text("a" * 25 + " " + "b" * 40) == "a" * 25 + "…"
