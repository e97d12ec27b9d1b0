"""The documents of the open conversation, above the composer: one chip each (name, size in
pages or passages, a remove button) and, while files are being read, a chip saying which page
("Reading scan.pdf: page 3 of 12 (OCR)…") with a button that stops the reading."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QStyle, QToolButton, QWidget

from app.store import Document


class DocumentStrip(QWidget):
    remove_requested = Signal(str)  # document id
    cancel_requested = Signal()  # stop reading the files being read

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentStrip")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 4, 12, 0)
        # Chips scroll sideways: ten documents must not force the window wider than the screen.
        self.scroll = QScrollArea()
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        self._layout = QHBoxLayout(inner)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.scroll.setWidget(inner)
        outer.addWidget(self.scroll)
        self.reading_chip = QWidget()
        self.reading_chip.setObjectName("documentChip")
        self.reading_chip.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self.reading_chip)
        row.setContentsMargins(6, 2, 2, 2)
        self.reading = QLabel()
        self.reading.setObjectName("documentReading")
        self.stop = QToolButton()
        self.stop.setText("✕")
        self.stop.setAutoRaise(True)
        self.stop.setToolTip(self.tr("Stop reading; nothing of these files is attached"))
        self.stop.clicked.connect(self.cancel_requested)
        row.addWidget(self.reading)
        row.addWidget(self.stop)
        self._names = ""
        self._chips: list[QWidget] = []
        self._documents: list[Document] = []
        self._layout.addWidget(self.reading_chip, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addStretch(1)
        self.reading.hide()
        self.reading_chip.hide()
        self.hide()

    def documents(self) -> list[Document]:
        return list(self._documents)

    def show_documents(self, documents: list[Document]) -> None:
        for chip in self._chips:
            chip.deleteLater()
        self._chips = [self._chip(d) for d in documents]
        self._documents = list(documents)
        for i, chip in enumerate(self._chips):
            self._layout.insertWidget(i, chip, 0, Qt.AlignmentFlag.AlignTop)
        bar = self.scroll.horizontalScrollBar().sizeHint().height()
        self.scroll.setFixedHeight(max((c.sizeHint().height() for c in self._chips), default=0) + bar)
        self._update_visible()

    def set_reading(self, names: str) -> None:
        self._names = names
        self.reading.setText(self.tr("Reading %1…").replace("%1", names) if names else "")
        self.reading.setVisible(bool(names))
        self.reading_chip.setVisible(bool(names))
        self._update_visible()

    def set_progress(self, name: str, page: int, pages: int, ocr: bool) -> None:
        """The page the reader is at in `name` (the others waiting are still named after it)."""
        if not self._names:
            return  # a late report of a file already done
        text = (self.tr("Reading %1: page %2 of %3 (OCR)…") if ocr else self.tr("Reading %1: page %2 of %3…"))
        text = text.replace("%1", name).replace("%2", str(page)).replace("%3", str(pages))
        others = [n for n in self._names.split(", ") if n != name]
        if others:
            text += " " + self.tr("Then %1.").replace("%1", ", ".join(others))
        self.reading.setText(text)

    def _chip(self, doc: Document) -> QWidget:
        chip = QWidget()
        chip.setObjectName("documentChip")
        chip.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # so the theme's box shows
        row = QHBoxLayout(chip)
        row.setContentsMargins(6, 2, 2, 2)
        # English is the source language, so the singular is spelled out rather than "(s)".
        if doc.pages:
            size = self.tr("1 page") if doc.pages == 1 else self.tr("%n pages", "", doc.pages)
        else:
            size = self.tr("1 passage") if doc.passages == 1 else self.tr("%n passages", "", doc.passages)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon).pixmap(16, 16))
        shown = doc.name if len(doc.name) <= 40 else doc.name[:24] + "…" + doc.name[-12:]
        label = QLabel(f"{shown} · {size}")
        label.setToolTip(doc.name + "\n" + self.tr("Replies in this conversation quote this document and "
                                                   "cite it as [1], [2]…"))
        remove = QToolButton()
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setToolTip(self.tr("Remove %1 from this conversation").replace("%1", doc.name))
        remove.clicked.connect(lambda _=False, i=doc.id: self.remove_requested.emit(i))
        row.addWidget(icon)
        row.addWidget(label)
        row.addWidget(remove)
        return chip

    def _update_visible(self) -> None:
        self.setVisible(bool(self._chips) or not self.reading.isHidden())
