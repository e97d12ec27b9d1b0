"""The conversation list's context menu: rename, pin, archive, delete, show archived."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConversationList", text)


def build_menu(parent: QWidget, *, pinned: bool | None, archived: bool | None, show_archived: bool,
               on: Callable[[str], None]) -> QMenu:
    """`pinned`/`archived` are None when the click was not on a conversation; `on(kind)` runs
    the chosen action: "open" | "rename" | "pin" | "archive" | "delete" | "show_archived"."""
    menu = QMenu(parent)
    menu.setObjectName("conversationMenu")

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
        add("open", _tr("Open"))
        add("rename", _tr("Rename"), QKeySequence("F2"))
        add("pin", _tr("Unpin") if pinned else _tr("Pin"))
        add("archive", _tr("Unarchive") if archived else _tr("Archive"))
        add("delete", _tr("Delete…"), QKeySequence(QKeySequence.StandardKey.Delete))
        menu.addSeparator()
    add("show_archived", _tr("Show archived"), checked=show_archived)
    return menu
