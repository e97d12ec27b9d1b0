"""The sidebar: a thin Qt list model over plain Conversation rows, and its view."""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QListView, QPushButton, QVBoxLayout, QWidget

from app.store import Conversation

UNTITLED = "New chat"


class ConversationListModel(QAbstractListModel):
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Conversation] = []

    def set_rows(self, rows: Sequence[Conversation]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.title or UNTITLED
        if role == self.IdRole:
            return row.id
        return None

    def row_of(self, conversation_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == conversation_id), -1)


class ConversationList(QWidget):
    conversation_chosen = Signal(str)
    new_chat_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("sidebar")
        self.model = ConversationListModel()
        self.view = QListView()
        self.view.setAccessibleName("Conversations")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setUniformItemSizes(True)
        self.new_button = QPushButton(self.tr("New chat"))
        self.new_button.setAccessibleName("New chat")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.new_button)
        layout.addWidget(self.view, 1)
        self.new_button.clicked.connect(self.new_chat_requested)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)

    def set_conversations(self, rows: Sequence[Conversation], current_id: str | None) -> None:
        self.view.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        row = self.model.row_of(current_id) if current_id else -1
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        self.view.selectionModel().blockSignals(False)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.conversation_chosen.emit(current.data(ConversationListModel.IdRole))
