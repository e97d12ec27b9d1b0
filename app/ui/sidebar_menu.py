"""The conversation list's context menu (open, rename, pin, archive, delete, show archived)
and the question asked before a delete."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from app.ui.sidebar_model import ConversationListModel as M

if TYPE_CHECKING:
    from app.ui.conversation_list import ConversationList


def build_menu(parent: QWidget, *, pinned: bool | None, archived: bool | None, show_archived: bool,
               on: Callable[[str], None]) -> QMenu:
    """`pinned`/`archived` are None when the click was not on a conversation; `on(kind)` runs
    the chosen action: "open" | "rename" | "pin" | "archive" | "delete" | "show_archived"."""
    menu = QMenu(parent)
    menu.setObjectName("conversationMenu")
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def add(kind: str, text: str, shortcut: QKeySequence | None = None, checked: bool | None = None) -> QAction:
        action = menu.addAction(text)
        action.setObjectName(f"{kind}Action")
        if shortcut is not None:
            action.setShortcut(shortcut)  # shown as a hint; the list handles the key itself
        if checked is not None:
            action.setCheckable(True)
            action.setChecked(checked)
        action.triggered.connect(lambda _=False: on(kind))
        return action

    if pinned is not None:
        unpin = QCoreApplication.translate("ConversationList", "Unpin")
        pin = QCoreApplication.translate("ConversationList", "Pin")
        unarchive = QCoreApplication.translate("ConversationList", "Unarchive")
        archive = QCoreApplication.translate("ConversationList", "Archive")
        add("open", QCoreApplication.translate("ConversationList", "Open"))
        add("rename", QCoreApplication.translate("ConversationList", "Rename"), QKeySequence("F2"))
        add("pin", unpin if pinned else pin)
        add("archive", unarchive if archived else archive)
        add("delete", QCoreApplication.translate("ConversationList", "Delete…"),
            QKeySequence(QKeySequence.StandardKey.Delete))
        menu.addSeparator()
    add("show_archived", QCoreApplication.translate("ConversationList", "Show archived"), checked=show_archived)
    return menu


def show_menu(sidebar: "ConversationList", pos: QPoint) -> None:
    """Pop the menu for the row under `pos` (view coordinates); acts through the sidebar."""
    if sidebar.store is None:
        return
    index = sidebar.view.indexAt(pos)
    conversation_id = index.data(M.IdRole) if index.isValid() else None
    row = sidebar.store.get_conversation(conversation_id) if conversation_id else None
    if row is not None:
        sidebar.view.setCurrentIndex(index)

    def run(kind: str) -> None:
        if kind == "show_archived":
            sidebar.show_archived = not sidebar.show_archived
            sidebar.refresh()
        elif kind == "open":
            sidebar.open_index(index)
        elif kind == "rename":
            if sidebar.searching():  # search hits are not editable: back to the list first
                sidebar.search.clear()
                sidebar.run_search()
            target = sidebar.model.index(sidebar.model.row_of(row.id))
            sidebar.view.setCurrentIndex(target)
            sidebar.view.edit(target)
        elif kind == "pin":
            sidebar.set_pinned(row.id, not row.pinned)
        elif kind == "archive":
            sidebar.set_archived(row.id, not row.archived)
        elif kind == "delete":
            sidebar.delete(row.id)

    menu = build_menu(sidebar, pinned=row.pinned if row else None, archived=row.archived if row else None,
                      show_archived=sidebar.show_archived, on=run)
    menu.popup(sidebar.view.viewport().mapToGlobal(pos))


def confirm_delete(parent: QWidget, title: str) -> bool:
    question = QCoreApplication.translate("ConversationList", "Delete “%1”? You can undo this for a few seconds.")
    box = QMessageBox(QMessageBox.Icon.Question,
                      QCoreApplication.translate("ConversationList", "Delete conversation"),
                      question.replace("%1", title),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("confirmDelete")
    box.button(QMessageBox.StandardButton.Yes).setText(QCoreApplication.translate("ConversationList", "Delete"))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes
