"""The passage behind a reply's citation: clicking [n] in a reply (or in its "Sources:" line) shows
what the model was given as [n], its document and page, with Previous/Next through the others.

Reply sources are stored copies (store.reply_sources), so the passage is shown as the reply saw
it, also after its document left the conversation or the library.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.store import Passage


def place_of(passage: Passage) -> str:
    """"handbook.pdf, p. 3" (or the name alone when the document has no pages)."""
    return passage.name + (f", {passage.location}" if passage.location else "")


class SourcePopup(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourcePopup")
        self.setModal(False)
        self.resize(560, 380)
        self._passages: list[Passage] = []
        self.n = 0
        self.heading = QLabel()
        self.heading.setObjectName("sourceHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.passage = QPlainTextEdit()
        self.passage.setObjectName("sourcePassage")
        self.passage.setReadOnly(True)
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.close_button = QPushButton()
        self.previous_button.clicked.connect(lambda: self.show_source(self.n - 1))
        self.next_button.clicked.connect(lambda: self.show_source(self.n + 1))
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.passage, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def set_passages(self, passages: Sequence[Passage]) -> None:
        self._passages = list(passages)

    def show_source(self, n: int) -> None:
        """Show passage [n] (1-based) and bring the popup up; nothing for a number not given."""
        if not 1 <= n <= len(self._passages):
            return
        self.n = n
        self.heading.setText(self.tr("[%1] of %2 · %3").replace("%1", str(n))
                             .replace("%2", str(len(self._passages)))
                             .replace("%3", place_of(self._passages[n - 1])))
        self.passage.setPlainText(self._passages[n - 1].text)
        self.previous_button.setEnabled(n > 1)
        self.next_button.setEnabled(n < len(self._passages))
        self.setWindowTitle(self.tr("Source [%1]").replace("%1", str(n)))
        self.show()
        self.raise_()
        self.activateWindow()
        self.passage.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.previous_button.setText(self.tr("‹ Previous"))
        self.next_button.setText(self.tr("Next ›"))
        self.close_button.setText(self.tr("Close"))
        self.passage.setAccessibleName(self.tr("Passage"))
        if self.n and self.isVisible():
            self.show_source(self.n)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
