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
SOURCE_SCHEME = "source"  # source:N, a link on a reply's [N] to the passage it was given
_CITATION = re.compile(r"\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\]")
_NUMBER = re.compile(r"\d{1,3}")
_HTML_PIECE = re.compile(r"(<[^>]*>)")
_NO_LINKS_IN = ("pre", "code", "a")  # code stays code; a link cannot hold a link


def render_markdown(text: str, *, copy_links: bool = False, first_code_index: int = 0,
                    copy_label: str = "Copy code", sources: int = 0) -> str:
    """HTML for Qt; with copy_links, each code block gets a "Copy code" link (copy-code:N),
    numbered from first_code_index. With `sources` (how many passages the reply was given),
    each citation [n] of one of them, outside code, links to source:n."""
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
    return link_citations(out, sources) if sources else out


def link_citations(html: str, sources: int) -> str:
    """[n] (and each number of [1, 2]) that names one of the `sources` becomes a source:n link,
    in text only: never inside code, a code block or another link."""
    pieces = _HTML_PIECE.split(html)
    inside = 0
    for i, piece in enumerate(pieces):
        if i % 2:  # a tag
            name = piece.strip("</>").split(None, 1)[0].lower() if piece.strip("</>") else ""
            if name in _NO_LINKS_IN and not piece.endswith("/>"):
                inside += -1 if piece.startswith("</") else 1
            continue
        if not inside and "[" in piece:
            pieces[i] = _CITATION.sub(lambda m: _cite(m, sources), piece)
    return "".join(pieces)


def _cite(match: re.Match[str], sources: int) -> str:
    numbers = _NUMBER.findall(match.group(1))
    if not any(1 <= int(n) <= sources for n in numbers):
        return match.group(0)
    if len(numbers) == 1:
        return f'<a href="{SOURCE_SCHEME}:{numbers[0]}">[{numbers[0]}]</a>'
    return _NUMBER.sub(lambda n: f'<a href="{SOURCE_SCHEME}:{n.group(0)}">{n.group(0)}</a>'
                       if 1 <= int(n.group(0)) <= sources else n.group(0), match.group(0))


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

    def __init__(self, *, copy_links: bool = False, copy_label: str = "Copy code", sources: int = 0) -> None:
        self.text = ""
        self.copy_links = copy_links
        self.copy_label = copy_label
        self.sources = sources  # the reply's passages are known before it streams: [n] link as they come
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
        return new_stable, render_markdown(self.text[self._stable_len:], sources=self.sources)

    def finish(self) -> str:
        """The end of the stream: the tail becomes a finished block; returns its HTML."""
        html = self._render_stable(self.text[self._stable_len:]) if self._stable_len < len(self.text) else ""
        self._stable_len = len(self.text)
        return html

    def _render_stable(self, chunk: str) -> str:
        html = render_markdown(chunk, copy_links=self.copy_links, first_code_index=len(self.code_texts),
                               copy_label=self.copy_label, sources=self.sources)
        self.code_texts += code_blocks(html)
        return html
