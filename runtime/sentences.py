"""Sentences the runtime writes for people, translatable without Qt.

A Sentence is its English text, so the CLI, the logs, the store and every test use it as any
other str; it also keeps its template and arguments, so the window can look the template up in
its own translation and fill in the same arguments. The template is the sentence's only home:
Qt's lupdate finds every `Sentence("…")` in runtime/ (tests/ui/test_i18n.py checks that the
Chinese catalogue has each one), so write the template as a literal. Any ordinary str operation
on one (+, f-strings, strip) gives plain English, never an error, so adopting it is additive:
wrap a sentence, then keep its structure where it is combined (`join`).
"""
from __future__ import annotations

from typing import Iterable


class Sentence(str):
    template: str
    args: dict
    parts: tuple

    def __new__(cls, template: str, /, **args: object) -> "Sentence":
        self = super().__new__(cls, template.format(**args) if args else template)
        self.template, self.args, self.parts = template, args, ()
        return self

    def __reduce_ex__(self, protocol):  # copy and pickle rebuild it from its template and arguments
        if self.parts:
            return join, ("", self.parts)
        return _rebuild, (type(self), self.template, self.args)


def _rebuild(cls, template: str, args: dict) -> Sentence:
    return cls(template, **args)


def join(separator: str, parts: Iterable[str]) -> Sentence:
    """separator.join(parts), each Sentence among them still translatable."""
    kept = [p for p in parts if p]
    spaced: list[str] = []
    for part in kept:
        if spaced and separator:
            spaced.append(separator)
        spaced.append(part)
    text = "".join(spaced)
    whole = Sentence(text)  # no arguments: the text is not formatted
    whole.parts = tuple(spaced)
    return whole


def render(text: str, translate) -> str:
    """The text in another language: translate(template) -> the template in it (or None).
    Arguments that are Sentences are rendered too; plain str parts stay as they are."""
    if not isinstance(text, Sentence):
        return text
    if text.parts:
        return "".join(render(p, translate) for p in text.parts)
    template = translate(text.template) or text.template
    if not text.args:
        return template
    args = {k: render(v, translate) if isinstance(v, str) else v for k, v in text.args.items()}
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError):  # a broken translation shows the English, not an error
        return str(text)


def message_of(exc: BaseException) -> str:
    """An error's sentence for the user, still a Sentence when it was raised with one
    (str(exc) would make it plain English)."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Sentence) else str(exc)
