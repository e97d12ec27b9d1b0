"""What the reading thread and a reader share while one file is read: where it is (for "Reading
page 3 of 12 (OCR)…"), a cancel flag looked at between pages, and the pages that could not be
read (named to the user; the rest of the file is kept)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from app.documents.extract import DocumentError


class ReadingCancelled(DocumentError):
    """The user stopped the reading; nothing of the file was stored."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Stopped reading {name}; nothing of it was attached.")
        self.name = name


@dataclass
class Reading:
    # Called before each page: (page number from 1, pages, read by OCR). On the reading thread.
    on_page: Callable[[int, int, bool], None] | None = None
    cancelled: threading.Event = field(default_factory=threading.Event)
    unread: list[str] = field(default_factory=list)  # locations ("p. 5") whose text could not be read

    def page(self, name: str, number: int, pages: int, ocr: bool) -> None:
        """Stop here if cancelled (ReadingCancelled), else say which page comes next."""
        self.check(name)
        if self.on_page is not None:
            self.on_page(number, pages, ocr)

    def check(self, name: str) -> None:
        if self.cancelled.is_set():
            raise ReadingCancelled(name)

    def cancel(self) -> None:
        """From any thread; the reader stops before its next page."""
        self.cancelled.set()


def unread_sentence(name: str, unread: list[str]) -> str:
    """The sentence for a file stored without some of its pages ("" when none were lost)."""
    if not unread:
        return ""
    return f"{name} was attached without {', '.join(unread)}: the text there could not be read."
