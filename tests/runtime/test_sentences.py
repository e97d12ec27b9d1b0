"""Runtime sentences: English wherever a str is used, their template and arguments kept for a
window to translate, also through joins, copies and exceptions."""
import copy
import pickle

from runtime.sentences import Sentence, join, message_of, render
from runtime.types import ModelLoadError

CHINESE = {"{n} threads on {gpu}": "{gpu} 上的 {n} 个线程", "GPU off": "GPU 已关",
           "Nothing fits.": "放不下。"}.get


def test_a_sentence_is_its_english_text():
    s = Sentence("{n} threads on {gpu}", n=4, gpu="RTX 4090")
    assert s == "4 threads on RTX 4090" and isinstance(s, str) and f"<{s}>" == "<4 threads on RTX 4090>"
    assert (s.template, s.args) == ("{n} threads on {gpu}", {"n": 4, "gpu": "RTX 4090"})
    assert Sentence("Braces {kept} without arguments") == "Braces {kept} without arguments"


def test_render_translates_the_template_and_nested_arguments():
    s = Sentence("{n} threads on {gpu}", n=4, gpu=Sentence("GPU off"))
    assert render(s, CHINESE) == "GPU 已关 上的 4 个线程"
    assert render(s, lambda t: None) == str(s)  # no translation: the English
    assert render("plain text", CHINESE) == "plain text"


def test_a_broken_translation_shows_the_english():
    s = Sentence("{n} threads on {gpu}", n=4, gpu="x")
    assert render(s, lambda t: "{missing} 个线程") == "4 threads on x"


def test_join_keeps_each_part_translatable():
    joined = join(" ", [Sentence("GPU off"), "", "note", Sentence("Nothing fits.")])
    assert joined == "GPU off note Nothing fits."
    assert render(joined, CHINESE) == "GPU 已关 note 放不下。"
    assert render(copy.deepcopy(joined), CHINESE) == "GPU 已关 note 放不下。"


def test_copies_and_pickles_keep_the_structure():
    s = Sentence("{n} threads on {gpu}", n=2, gpu="A")
    for again in (copy.copy(s), copy.deepcopy(s), pickle.loads(pickle.dumps(s))):
        assert again == s and render(again, CHINESE) == "A 上的 2 个线程"


def test_an_error_raised_with_a_sentence_gives_it_back():
    try:
        raise ModelLoadError(Sentence("Nothing fits."))
    except ModelLoadError as exc:
        assert render(message_of(exc), CHINESE) == "放不下。" and str(exc) == "Nothing fits."
    assert message_of(ValueError("plain")) == "plain"
