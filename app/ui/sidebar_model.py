"""A thin Qt list model over the sidebar's plain rows (headers, conversations, search hits).

Headers are neither selectable nor enabled, so the view's Up/Down skip them. Renaming edits a
conversation row in place; the model only asks for it (`rename_requested`) and the sidebar
writes to the store, so the rows stay plain data.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.ui.sidebar_rows import Header, Hit, Item, Row

Index = QModelIndex | QPersistentModelIndex


class ConversationListModel(QAbstractListModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2  # "header" | "conversation" | "hit"
    SnippetRole = Qt.ItemDataRole.UserRole + 3
    HighlightsRole = Qt.ItemDataRole.UserRole + 4
    PinnedRole = Qt.ItemDataRole.UserRole + 5
    ArchivedRole = Qt.ItemDataRole.UserRole + 6
    MessageIdRole = Qt.ItemDataRole.UserRole + 7
    DocumentRole = Qt.ItemDataRole.UserRole + 8  # a document hit's file name

    rename_requested = Signal(str, str)  # conversation id, new title

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def retranslate(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        row = self._rows[index.row()]
        if isinstance(row, Header):
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if isinstance(row, Item) else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if isinstance(row, Header):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.group_title(row.group)
            return "header" if role == self.KindRole else None
        if isinstance(row, Item):
            c = row.conversation
            title = c.title or self.tr("New chat")
            if c.origin == "api":  # asked by another program through the local API server
                title = self.tr("API · %1").replace("%1", title)
            values = {Qt.ItemDataRole.DisplayRole: title,
                      Qt.ItemDataRole.EditRole: c.title,
                      Qt.ItemDataRole.ToolTipRole: title,
                      self.IdRole: c.id, self.KindRole: "conversation",
                      self.PinnedRole: c.pinned, self.ArchivedRole: c.archived}
            return values.get(role)
        title = row.title or self.tr("New chat")
        values = {Qt.ItemDataRole.DisplayRole: title,
                  Qt.ItemDataRole.ToolTipRole: (
                      self.tr("%1, in “%2”").replace("%1", row.document).replace("%2", title)
                      if row.document else row.snippet),
                  Qt.ItemDataRole.AccessibleTextRole: f"{title}: {row.snippet}",
                  self.IdRole: row.conversation_id, self.KindRole: "hit",
                  self.SnippetRole: row.snippet, self.HighlightsRole: row.highlights,
                  self.MessageIdRole: row.message_id, self.DocumentRole: row.document}
        return values.get(role)

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        title = str(value).strip()
        if not isinstance(row, Item) or title == row.conversation.title:
            return False
        self.rename_requested.emit(row.conversation.id, title)
        return True

    def group_title(self, group: str) -> str:
        # Spelled out one by one so lupdate finds every string.
        titles = {"pinned": self.tr("Pinned"), "today": self.tr("Today"),
                  "yesterday": self.tr("Yesterday"), "week": self.tr("Previous 7 days"),
                  "older": self.tr("Older"), "archived": self.tr("Archived"),
                  "no_matches": self.tr("No matches"), "documents": self.tr("In documents")}
        return titles[group]

    def row_of(self, conversation_id: str) -> int:
        """The row showing this conversation (or its search hit); -1 if none."""
        for i, row in enumerate(self._rows):
            if isinstance(row, Item) and row.conversation.id == conversation_id:
                return i
            if isinstance(row, Hit) and row.conversation_id == conversation_id:
                return i
        return -1

    def conversation_rows(self) -> int:
        """How many rows are conversations (not headers)."""
        return sum(1 for r in self._rows if not isinstance(r, Header))
