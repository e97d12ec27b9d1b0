"""File > Document library…: every document read, once each, with the conversations using it.

A document row shows its name, size, pages and passages and when it was first read; under it, one
row per conversation that has it (Enter or a double click opens that conversation). From here a
document is attached to the open conversation (its passages are copied, the file is not read
again), removed from one conversation, or removed from the library and every conversation after
a confirmation that says it cannot be undone. Removing takes each passage's index row out again
(a third of a second for two copies of a 1,000-passage file), so it runs off the GUI thread on a
connection of its own.
"""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from app.store import LibraryEntry, Store, StoreError, open_worker_store
from app.ui.background import Background

SHA_ROLE = Qt.ItemDataRole.UserRole + 1
CONVERSATION_ROLE = Qt.ItemDataRole.UserRole + 2
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 3


class DocumentLibrary(QDialog):
    open_conversation = Signal(str)  # conversation id
    changed = Signal(str)  # a conversation whose documents changed ("" for several)
    attach_requested = Signal(str)  # sha256: attach to the open conversation

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentLibrary")
        self.store = store
        self.current_id: str | None = None  # the conversation open in the window
        self.resize(760, 440)
        self.tree = QTreeWidget()
        self.tree.setObjectName("libraryTree")
        self.tree.setColumnCount(5)
        self.tree.setRootIsDecorated(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.message = QLabel()
        self.message.setObjectName("libraryMessage")
        self.message.setWordWrap(True)
        self.attach_button = QPushButton()
        self.open_button = QPushButton()
        self.remove_here_button = QPushButton()
        self.remove_button = QPushButton()
        self.close_button = QPushButton()
        self.attach_button.clicked.connect(self._attach)
        self.open_button.clicked.connect(self._open)
        self.remove_here_button.clicked.connect(self._remove_here)
        self.remove_button.clicked.connect(self._remove_everywhere)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.attach_button, self.open_button, self.remove_here_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._entries: list[LibraryEntry] = []
        self._background = Background(self)
        self._background.done.connect(self._removed)
        self._background.failed.connect(self._removal_failed)
        self.retranslate()

    # -- public ------------------------------------------------------------------------
    def entries(self) -> list[LibraryEntry]:
        return list(self._entries)

    def refresh(self, current_id: str | None = None, keep: str | None = None) -> None:
        """Read the library again; `current_id` is the open conversation; `keep` a sha256 to select."""
        if current_id is not None:
            self.current_id = current_id
        selected = keep or self._selected_sha()
        try:
            self._entries = self.store.library()
        except StoreError as exc:
            self.message.setText(str(exc))
            return
        self.tree.clear()
        for entry in self._entries:
            item = QTreeWidgetItem([entry.name, _size(entry.size), self._pages(entry), _date(entry.added),
                                    self._used_in(entry)])
            item.setData(0, SHA_ROLE, entry.sha256)
            item.setToolTip(0, entry.name)
            for (cid, title), doc_id in zip(entry.conversations, entry.documents):
                child = QTreeWidgetItem([title or self.tr("New chat")])
                child.setData(0, SHA_ROLE, entry.sha256)
                child.setData(0, CONVERSATION_ROLE, cid)
                child.setData(0, DOCUMENT_ROLE, doc_id)
                child.setToolTip(0, self.tr("Enter or double-click opens this conversation"))
                if cid == self.current_id:
                    font = child.font(0)
                    font.setBold(True)
                    child.setFont(0, font)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
            if entry.sha256 == selected:
                self.tree.setCurrentItem(item)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        for column in range(1, 5):
            self.tree.resizeColumnToContents(column)
        self.tree.setColumnWidth(0, max(self.tree.columnWidth(0), 240))
        if not self._entries:
            self.message.setText(self.tr("No documents yet. Drop a file on the window, or use File > "
                                         "Attach documents…; each file is read once and can then be "
                                         "attached to any conversation from here."))
        self._update_buttons()

    def select(self, sha256: str, conversation_id: str | None = None) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, SHA_ROLE) != sha256:
                continue
            target = item
            for j in range(item.childCount()):
                if item.child(j).data(0, CONVERSATION_ROLE) == conversation_id:
                    target = item.child(j)
            self.tree.setCurrentItem(target)

    def show_sentence(self, text: str) -> None:
        self.message.setText(text)

    # -- actions -----------------------------------------------------------------------
    def _attach(self) -> None:
        sha = self._selected_sha()
        if sha:
            self.attach_requested.emit(sha)

    def _open(self) -> None:
        item = self.tree.currentItem()
        cid = item.data(0, CONVERSATION_ROLE) if item else None
        if cid:
            self.open_conversation.emit(cid)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, CONVERSATION_ROLE):
            self.open_conversation.emit(item.data(0, CONVERSATION_ROLE))

    def _remove_here(self) -> None:
        """Remove the document from the chosen conversation (the open one on a document row)."""
        item = self.tree.currentItem()
        if item is None:
            return
        entry = self._entry(item.data(0, SHA_ROLE))
        doc_id, cid = item.data(0, DOCUMENT_ROLE), item.data(0, CONVERSATION_ROLE)
        if not doc_id and entry is not None and self.current_id in dict(entry.conversations):
            cid = self.current_id
            doc_id = entry.documents[[c for c, _ in entry.conversations].index(cid)]
        if not doc_id or entry is None:
            return
        title = dict(entry.conversations).get(cid) or self.tr("New chat")
        sentence = (self.tr("Removed %1 from “%2”; it stays in the library while another conversation uses it.")
                    if len(entry.conversations) > 1 else
                    self.tr("Removed %1 from “%2”, the last conversation using it, so it left the library."))
        self._start_removal(lambda store: store.remove_document(doc_id), cid,
                            sentence.replace("%1", entry.name).replace("%2", title), entry.sha256)

    def _remove_everywhere(self) -> None:
        entry = self._entry(self._selected_sha())
        if entry is None or not self._confirm_removal(entry):
            return
        sentence = self.tr("Removed %1 from the library and from %n conversation(s).", "",
                           len(entry.conversations)).replace("%1", entry.name)
        self._start_removal(lambda store: store.remove_from_library(entry.sha256), "", sentence, None)

    def busy(self) -> bool:
        """A removal is under way (its buttons wait for it)."""
        return self._background.busy("remove")

    def _start_removal(self, call, conversation_id: str, sentence: str, keep: str | None) -> None:
        self._after_removal = (conversation_id, sentence, keep)
        self._background.run("remove", _with_worker_store, self.store.path, call)
        self._update_buttons()

    def _removed(self, _kind: str, _result) -> None:
        conversation_id, sentence, keep = self._after_removal
        self.changed.emit(conversation_id)
        self.refresh(keep=keep)
        self.message.setText(sentence)

    def _removal_failed(self, _kind: str, sentence: str) -> None:
        self.refresh()
        self.message.setText(sentence)

    def _confirm_removal(self, entry: LibraryEntry) -> bool:
        question = self.tr("Remove %1 from the library and from the %n conversation(s) using it? Replies "
                           "that quoted it keep their sources. This cannot be undone.", "",
                           len(entry.conversations)).replace("%1", entry.name)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Remove from library"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmLibraryRemoval")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Remove"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    # -- helpers -----------------------------------------------------------------------
    def _selected_sha(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, SHA_ROLE) if item else None

    def _entry(self, sha256: str | None) -> LibraryEntry | None:
        return next((e for e in self._entries if e.sha256 == sha256), None)

    def _update_buttons(self) -> None:
        item = self.tree.currentItem()
        entry = self._entry(item.data(0, SHA_ROLE)) if item else None
        on_conversation = bool(item and item.data(0, CONVERSATION_ROLE))
        here = entry is not None and self.current_id in dict(entry.conversations)
        idle = not self.busy()
        self.attach_button.setEnabled(entry is not None and not here and idle)
        self.open_button.setEnabled(on_conversation)
        self.remove_here_button.setEnabled((on_conversation or here) and idle)
        self.remove_button.setEnabled(entry is not None and idle)

    def _pages(self, entry: LibraryEntry) -> str:
        passages = self.tr("%n passage(s)", "", entry.passages)
        return (self.tr("%n page(s)", "", entry.pages) + " · " + passages) if entry.pages else passages

    def _used_in(self, entry: LibraryEntry) -> str:
        if not entry.conversations:
            return self.tr("only in the bin")
        return self.tr("%n conversation(s)", "", len(entry.conversations))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Document library"))
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("Size"), self.tr("Pages and passages"),
                                   self.tr("Added"), self.tr("Used in")])
        self.tree.setAccessibleName(self.tr("Documents"))
        self.attach_button.setText(self.tr("&Attach to this conversation"))
        self.open_button.setText(self.tr("&Open conversation"))
        self.remove_here_button.setText(self.tr("Remove from this &conversation"))
        self.remove_button.setText(self.tr("&Remove from library…"))
        self.close_button.setText(self.tr("Close"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.refresh()
        super().changeEvent(event)


def _with_worker_store(path, call):
    """`call(store)` on a connection of this thread's own (WAL: the window reads on meanwhile)."""
    store = open_worker_store(path)
    try:
        return call(store)
    finally:
        store.close()


def _size(size: int) -> str:
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def _date(iso: str) -> str:
    return QLocale().toString(datetime.fromisoformat(iso).astimezone(), QLocale.FormatType.ShortFormat)
