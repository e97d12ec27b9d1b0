"""How many tokens a text takes, before any model's tokenizer is at hand.

`estimate_tokens` is an upper bound: per script, the most tokens a character cost in natural text
(reports, contracts, manuals, with their numbers and punctuation: tests/fixtures/scripts.py) with
any of 19 tokenizers at hand, plus 5%; `bench/bench_token_rates.py` measures them and checks the
bound (bench/RESULTS.md, "Tokens per character"). Measured tokens per character, whole samples:

| script     | SmolLM2 | gemma3 | DeepSeek-LLM | DeepSeek-Coder | Qwen2 | Llama 3 | GPT-2 | the bound |
|------------|--------:|-------:|-------------:|---------------:|------:|--------:|------:|----------:|
| Latin      |    0.26 |   0.23 |         0.26 |           0.27 |  0.23 |    0.23 |  0.26 | letters 0.40, space 0.5 |
| CJK        |    1.85 |   0.67 |         0.97 |           1.19 |  0.67 |    0.80 |  2.07 | Han 2.52, kana 2.1, Hangul 3.26 |
| Cyrillic   |    0.77 |   0.26 |         0.41 |           0.49 |  0.34 |    0.32 |  1.08 | 1.30 |
| Greek      |    0.86 |   0.40 |         0.76 |           1.09 |  0.87 |    0.40 |  1.13 | 1.34 |
| Devanagari |    1.09 |   0.28 |         1.25 |           1.76 |  0.93 |    0.51 |  1.50 | 2.25 |
| Thai       |    1.82 |   0.36 |         1.80 |           2.11 |  0.56 |    0.48 |  1.93 | 2.33 |
| Arabic     |    0.97 |   0.35 |         0.92 |           1.24 |  0.39 |    0.39 |  1.02 | 1.54 |
| Hebrew     |    1.11 |   0.48 |         1.03 |           1.50 |  0.41 |    0.97 |  1.18 | 1.89 |
| emoji      |    0.97 |   0.48 |         0.88 |           1.03 |  0.59 |    0.79 |  0.84 | per byte (4 an emoji) |

The bound's rates were fitted so that it is at least the real count of every paragraph and of
every sentence (less 2, a text's own start) in every one of those tokenizers; a class's rate then
covers the spaces between its words, which some tokenizers never merge (Hangul in DeepSeek-Coder
costs 3.1 tokens a character, more than its 3 UTF-8 bytes). Digits, punctuation, line breaks and
further spaces of a run cost one token each; any other character one token per UTF-8 byte, the
most a byte-level or byte-fallback tokenizer can spend. Today's models' tokenizers are far
cheaper than the bound in most scripts (gemma3 spends a sixth of it on Thai): where the model's
own tokenizer is at hand, count with it (app.documents.quote takes one).

A sum over characters, so estimate_tokens(a + b) == estimate_tokens(a) + estimate_tokens(b).
"""
from __future__ import annotations

import re

# (characters, UTF-8 bytes each, tokens each at most)
_CLASSES = (
    ("A-Za-z", 1, 0.40),
    ("\u00c0-\u024f", 2, 1.0),                   # Latin with accents (é, ß, ă)
    ("\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef", 3, 2.52),  # Han, CJK punctuation, full-width forms
    ("\u3040-\u30ff", 3, 2.1),                    # kana
    ("\uac00-\ud7af", 3, 3.26),                   # Hangul
    ("\u0400-\u052f", 2, 1.30),                  # Cyrillic
    ("\u0370-\u03ff", 2, 1.34),                  # Greek
    ("\u0900-\u097f", 3, 2.25),                  # Devanagari
    ("\u0e00-\u0e7f", 3, 2.33),                  # Thai
    ("\u0600-\u06ff\u0750-\u077f", 2, 1.54),     # Arabic (and Persian, Urdu)
    ("\u0590-\u05ff", 2, 1.89),                   # Hebrew
)
_SPACE_RUN = re.compile(" {2,}")
FIRST_SPACE = 0.5  # a space that starts a run: mostly merged into the word after it


def _marker_table() -> tuple[list[str], dict[str, float]]:
    """Every character of the Basic Multilingual Plane -> a one-letter marker of its class, and
    each marker's tokens. Unlisted characters cost their UTF-8 bytes."""
    table = ["1" if cp < 0x80 else "2" if cp < 0x800 else "3" for cp in range(0x10000)]
    rates = {"1": 1.0, "2": 2.0, "3": 3.0}
    for k, (chars, _width, rate) in enumerate(_CLASSES):
        marker = chr(ord("a") + k)
        rates[marker] = rate
        for first, last in re.findall(r"(.)-(.)", chars):
            for cp in range(ord(first), ord(last) + 1):
                table[cp] = marker
    return table, rates


_TABLE, _RATES = _marker_table()
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))


def estimate_tokens(text: str) -> float:
    """At least the tokens `text` takes with any tokenizer measured (see above), for natural text.
    A few microseconds a call and ~0.1 ms a thousand characters (a translation to class markers,
    then counts), so the chunker can weigh every sentence."""
    if text.isascii():
        raw = text.encode("ascii")
        letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
        n = len(raw) - letters * (1 - _RATES["a"])
    else:
        marked = text.translate(_TABLE)  # characters beyond the BMP (emoji) stay as they are
        n, seen = 0.0, 0
        for marker in set(marked):
            rate = _RATES.get(marker)
            if rate is not None:
                count = marked.count(marker)
                n += count * rate
                seen += count
        n += 4 * (len(text) - seen)  # four UTF-8 bytes each
    spaces = text.count(" ")
    if spaces:
        runs = sum(len(run) - 1 for run in _SPACE_RUN.findall(text)) if "  " in text else 0
        n -= (spaces - runs) * (1 - FIRST_SPACE)
    return n
