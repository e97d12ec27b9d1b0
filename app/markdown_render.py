"""Markdown to the HTML subset Qt's rich text shows, safe and fast enough to stream.

Raw HTML in a model's reply is shown as text, never interpreted. Code is highlighted by
Pygments with inline styles (Qt's rich text has no stylesheet classes to hook into).
While a reply streams, finished blocks are rendered once and only the unfinished tail is
rendered again on each update.
"""
from __future__ import annotations

import html as html_lib
import re

import markdown

_EXTENSIONS = ["fenced_code", "codehilite", "tables", "sane_lists", "nl2br"]
_CONFIG = {"codehilite": {"noclasses": True, "guess_lang": False, "pygments_style": "friendly"}}
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)
_PRE_END = re.compile(r"\n((?:</span>)*(?:</code>)?)</pre>")  # Qt shows the newline as an empty line


def _make() -> markdown.Markdown:
    md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_CONFIG)
    # Without these two, "<script>" or "<img onerror=...>" in a reply would become markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_md = _make()


_CODE_BLOCK = re.compile(r'<div class="codehilite"[^>]*><pre[^>]*>(.*?)</pre></div>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
COPY_SCHEME = "copy-code"


def render_markdown(text: str, *, copy_links: bool = False, first_code_index: int = 0,
                    copy_label: str = "Copy code") -> str:
    """HTML for Qt; with copy_links, each code block gets a "Copy code" link (copy-code:N),
    numbered from first_code_index."""
    _md.reset()
    out = _PRE_END.sub(r"\1</pre>", _md.convert(text))
    # Pygments paints a light background; without a text colour, a dark theme's light text vanishes.
    # Long code lines wrap (there is no horizontal scrolling in a message) instead of being cut.
    out = out.replace('<pre style="', '<pre style="color: #1f2328; white-space: pre-wrap; ')
    # Qt draws no table rules unless asked in attributes.
    out = out.replace("<table>", '<table border="1" cellspacing="0" cellpadding="5" '
                                 'style="border-color: #9ca3af; border-style: solid;">')
    if copy_links:
        counter = iter(range(first_code_index, 1_000_000))
        out = _CODE_BLOCK.sub(
            lambda m: f'<p align="right"><a href="{COPY_SCHEME}:{next(counter)}">{copy_label}</a></p>{m.group(0)}',
            out,
        )
    return out


def code_blocks(html: str) -> list[str]:
    """The plain text of each highlighted code block in rendered HTML, in order."""
    return [html_lib.unescape(_TAG.sub("", m.group(1))) for m in _CODE_BLOCK.finditer(html)]


def stable_prefix_length(text: str) -> int:
    """Where the finished blocks end: after the last blank line or closed code fence
    that lies outside a fence, counting complete lines only."""
    end = 0
    pos = 0
    inside_fence = False
    for line in text.splitlines(keepends=True):
        pos += len(line)
        if not line.endswith("\n"):
            break  # the last line is still being written
        if _FENCE.match(line):
            inside_fence = not inside_fence
            if not inside_fence:
                end = pos
        elif not inside_fence and not line.strip():
            end = pos
    return end


class StreamingMarkdown:
    """Keeps the rendered HTML of finished blocks; renders only the tail on each update.

    Finished blocks get their code-copy links as they finish, so the end of a long reply
    needs no second render of the whole text (a 26,000-character reply took 0.38 s to
    render again, a visible freeze)."""

    def __init__(self, *, copy_links: bool = False, copy_label: str = "Copy code") -> None:
        self.text = ""
        self.copy_links = copy_links
        self.copy_label = copy_label
        self.code_texts: list[str] = []
        self._stable_len = 0

    def append(self, delta: str) -> tuple[str, str]:
        """Add text; return (HTML of blocks finished by this delta, HTML of the unfinished tail)."""
        self.text += delta
        new_stable = ""
        cut = stable_prefix_length(self.text)
        if cut > self._stable_len:
            new_stable = self._render_stable(self.text[self._stable_len:cut])
            self._stable_len = cut
        return new_stable, render_markdown(self.text[self._stable_len:])

    def finish(self) -> str:
        """The end of the stream: the tail becomes a finished block; returns its HTML."""
        html = self._render_stable(self.text[self._stable_len:]) if self._stable_len < len(self.text) else ""
        self._stable_len = len(self.text)
        return html

    def _render_stable(self, chunk: str) -> str:
        html = render_markdown(chunk, copy_links=self.copy_links, first_code_index=len(self.code_texts),
                               copy_label=self.copy_label)
        self.code_texts += code_blocks(html)
        return html
