"""Readable text from an HTML page with the standard library's parser: the title first, block
elements on lines of their own, scripts and styles dropped, <pre> kept as written."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Callable

_SKIP = {"script", "style", "noscript", "template", "head", "svg"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
          "section", "article", "header", "footer", "nav", "aside", "main", "pre", "blockquote",
          "dd", "dt", "dl", "figure", "figcaption", "hr", "form", "details", "summary"}
_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", re.I)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.out: list[str] = []
        self._skip = 0  # depth inside elements whose text is not content
        self._pre = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP:
            self._skip += 1
        if tag == "pre":
            self._pre += 1
        if tag in _BLOCK:
            self.out.append("\n")
        if tag in ("td", "th"):
            self.out.append(" | ")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP and self._skip:
            self._skip -= 1
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            if self._pre:
                self.out.append(data)
                return
            data = re.sub(r"\s+", " ", data)
            if not self.out or self.out[-1].endswith("\n"):
                data = data.lstrip()  # a block's first words start its line
            self.out.append(data)


def html_to_text(data: bytes, decode: Callable[[bytes], str]) -> str:
    """`decode(data)` is the text decoder used when the page names no charset."""
    m = _CHARSET.search(data[:4096])
    text = None
    if m:
        try:
            text = data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode(data)
    parser = _Text()
    parser.feed(text)
    parser.close()
    body = "".join(parser.out)
    lines = [line.rstrip() for line in body.split("\n")]
    lines = [line[3:] if line.startswith(" | ") else line for line in lines]  # a row's first cell
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    title = " ".join("".join(parser.title).split())
    return f"{title}\n\n{text}" if title else text
