"""The sidebar: New chat, a search box over the store's full-text search, and the conversations
grouped by date (pinned first) with rename / pin / archive / delete-with-undo.

Up/Down move, Enter or a click opens, Delete asks first, F2 renames in place. Without a store
(`ConversationList()`), it only lists what `set_conversations` gives it.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QPushButton, QVBoxLayout, QWidget

from app.store import Conversation, Store, StoreError
from app.ui.sidebar_delegate import SidebarDelegate
from app.ui.sidebar_menu import confirm_delete, show_menu
from app.ui.sidebar_model import ConversationListModel
from app.ui.sidebar_rows import grouped_rows, hit_rows
from app.ui.sidebar_undo import UndoBar

__all__ = ["ConversationList", "ConversationListModel"]

SEARCH_DELAY_MS = 200  # typing pauses this long before the store is searched
M = ConversationListModel


class _ListView(QListView):
    open_requested = Signal(QModelIndex)
    delete_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            if index.isValid():
                self.open_requested.emit(index)
            return
        if key == Qt.Key.Key_Delete and index.isValid():
            self.delete_requested.emit(index)
            return
        super().keyPressEvent(event)


class ConversationList(QWidget):
    conversation_chosen = Signal(str)
    hit_chosen = Signal(str, str)  # conversation id, message id: a search result was opened
    new_chat_requested = Signal()
    conversation_deleted = Signal(str)
    conversation_restored = Signal(str)
    error = Signal(str)

    def __init__(self, store: Store | None = None) -> None:
        super().__init__()
        self.setObjectName("sidebar")
        self.store = store
        self._conversations: list[Conversation] = []
        self._current_id: str | None = None
        self.show_archived = False
        self.new_button = QPushButton()
        self.new_button.setObjectName("newChatButton")
        self.search = QLineEdit()
        self.search.setObjectName("sidebarSearch")
        self.search.setClearButtonEnabled(True)
        self.model = ConversationListModel()
        self.view = _ListView()
        self.view.setObjectName("conversationList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(SidebarDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)  # F2
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.undo_bar = UndoBar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        for widget in (self.new_button, self.search):
            layout.addWidget(widget)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.undo_bar)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.new_button.clicked.connect(self.new_chat_requested)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._enter_from_search)
        self.search.installEventFilter(self)
        self.view.clicked.connect(self.open_index)
        self.view.open_requested.connect(self.open_index)
        self.view.delete_requested.connect(lambda index: self.delete(index.data(M.IdRole)))
        self.view.customContextMenuRequested.connect(lambda pos: show_menu(self, pos))
        self.model.rename_requested.connect(self.rename)
        self.undo_bar.undo_requested.connect(self.undo_delete)
        self.retranslate()

    # -- public ----------------------------------------------------------------------------
    def set_conversations(self, rows: Sequence[Conversation], current_id: str | None) -> None:
        """Show these conversations (what the store lists), keeping `current_id` selected."""
        if self.store is not None and self.show_archived:
            rows = self._read(lambda s: s.list_conversations(include_archived=True), rows)
        self._show(rows, current_id)

    def refresh(self) -> None:
        """Read the list again from the store (after this sidebar changed something)."""
        if self.store is not None:
            rows = self._read(lambda s: s.list_conversations(include_archived=self.show_archived), [])
            self._show(rows, self._current_id)

    def _show(self, rows: Sequence[Conversation], current_id: str | None) -> None:
        self._current_id = current_id
        self._conversations = list(rows)
        if self.searching():
            self.run_search()
        else:
            self.model.set_rows(grouped_rows(self._conversations))
            self._select(current_id)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def searching(self) -> bool:
        return bool(self.search.text().strip())

    def run_search(self) -> None:
        self._search_timer.stop()
        query = self.search.text().strip()
        if not query:
            self.model.set_rows(grouped_rows(self._conversations))
            self._select(self._current_id)
        elif self.store is not None:
            hits = self._read(lambda s: s.search(query), [])
            documents = self._read(lambda s: s.search_documents(query), [])
            self.model.set_rows(hit_rows(hits, self._conversations, query, documents))

    def rename(self, conversation_id: str, title: str) -> None:
        if self._write(lambda s: s.rename_conversation(conversation_id, title)):
            self.refresh()

    def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        if self._write(lambda s: s.set_pinned(conversation_id, pinned)):
            self.refresh()

    def set_archived(self, conversation_id: str, archived: bool) -> None:
        if self._write(lambda s: s.set_archived(conversation_id, archived)):
            self.refresh()

    def delete(self, conversation_id: str, confirm: bool = True) -> None:
        """Ask, move it to the bin, offer Undo; `conversation_deleted` tells the window."""
        if self.store is None:
            return
        conversation = self.store.get_conversation(conversation_id)
        if conversation is None:
            return
        if confirm and not confirm_delete(self, conversation.title or self.tr("New chat")):
            return
        if self._write(lambda s: s.delete_conversation(conversation_id)):
            if self._current_id == conversation_id:
                self._current_id = None
            self.refresh()
            self.undo_bar.show_deleted(conversation_id, conversation.title)
            self.conversation_deleted.emit(conversation_id)

    def undo_delete(self, conversation_id: str) -> None:
        if self._write(lambda s: s.undo_delete(conversation_id)):
            self.refresh()
            self.conversation_restored.emit(conversation_id)

    def retranslate(self) -> None:
        self.new_button.setText(self.tr("New chat"))
        self.new_button.setAccessibleName(self.tr("New chat"))
        self.search.setPlaceholderText(self.tr("Search conversations (Ctrl+K)"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.view.setAccessibleName(self.tr("Conversations"))
        self.model.retranslate()

    # -- events ----------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down from the search box goes to the first row; Escape clears the search."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down:
                self._focus_first_row()
                return True
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                self.run_search()
                return True
        return super().eventFilter(watched, event)

    def open_index(self, index: QModelIndex) -> None:
        conversation_id = index.data(M.IdRole)
        if not conversation_id:
            return
        self._current_id = conversation_id
        self.conversation_chosen.emit(conversation_id)
        if index.data(M.KindRole) == "hit" and index.data(M.MessageIdRole):
            self.hit_chosen.emit(conversation_id, index.data(M.MessageIdRole))

    def _enter_from_search(self) -> None:
        """Enter in the search box opens the first result right away."""
        self.run_search()
        first = self._first_row()
        if first.isValid():
            self.view.setCurrentIndex(first)
            self.open_index(first)

    # -- helpers ---------------------------------------------------------------------------
    def _select(self, conversation_id: str | None) -> None:
        row = self.model.row_of(conversation_id) if conversation_id else -1
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))

    def _first_row(self) -> QModelIndex:
        for row in range(self.model.rowCount()):
            index = self.model.index(row)
            if index.flags() & Qt.ItemFlag.ItemIsSelectable:
                return index
        return QModelIndex()

    def _focus_first_row(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        current = self.view.currentIndex()
        if not current.isValid() or not current.flags() & Qt.ItemFlag.ItemIsSelectable:
            self.view.setCurrentIndex(self._first_row())

    def _read(self, call, fallback):
        try:
            return call(self.store)
        except StoreError as exc:
            self.error.emit(str(exc))
            return fallback

    def _write(self, call) -> bool:
        if self.store is None:
            return False
        try:
            call(self.store)
        except StoreError as exc:
            self.error.emit(str(exc))
            return False
        return True
