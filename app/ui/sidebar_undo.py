"""The bar under the conversation list after a delete: "Deleted “…”  [Undo]", gone after a while.

Deleting only moves a conversation to the store's bin, so Undo is always exact while it shows.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

SHOW_MS = 10_000


class UndoBar(QFrame):
    undo_requested = Signal(str)  # conversation id

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("undoBar")
        self.label = QLabel()
        self.label.setObjectName("undoLabel")
        self.label.setWordWrap(True)
        self.button = QPushButton()
        self.button.setObjectName("undoButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOW_MS)
        self._timer.timeout.connect(self.hide)
        self.button.clicked.connect(self._undo)
        self.conversation_id: str | None = None
        self._title = ""
        self.retranslate()
        self.hide()

    def show_deleted(self, conversation_id: str, title: str) -> None:
        self.conversation_id, self._title = conversation_id, title
        self.retranslate()
        self.show()
        self._timer.start()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Deleted “%1”").replace("%1", self._title or self.tr("New chat")))
        self.button.setText(self.tr("Undo"))
        self.button.setAccessibleName(self.tr("Undo delete"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _undo(self) -> None:
        self._timer.stop()
        self.hide()
        if self.conversation_id:
            self.undo_requested.emit(self.conversation_id)
            self.conversation_id = None
