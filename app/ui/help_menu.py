"""Help: the keyboard shortcuts, read from the window's own menus and shortcuts (so the list
cannot drift from what the keys do), and About: versions, where the data and logs are, and a
way to open the log folder."""
from __future__ import annotations

import platform
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QLabel, QMainWindow, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout,
)

from app.paths import app_paths
from app.ui.sidebar_menu import build_menu
from app.version import deskseek_version


def add_help_menu(window: QMainWindow) -> None:
    menu = window.menuBar().addMenu(QCoreApplication.translate("HelpMenu", "&Help"))
    menu.setObjectName("helpMenu")
    shortcuts = menu.addAction(QCoreApplication.translate("HelpMenu", "&Keyboard shortcuts"))
    shortcuts.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    shortcuts.triggered.connect(lambda: _show(window, ShortcutsDialog(window)))
    about = menu.addAction(QCoreApplication.translate("HelpMenu", "&About DeskSeek"))
    about.triggered.connect(lambda: _show(window, AboutDialog(window)))


def _show(window: QMainWindow, dialog: QDialog) -> None:
    for old in window.findChildren(QDialog, dialog.objectName()):  # one of each, the newest
        if old is not dialog:
            old.close()
    dialog.show()
    dialog.raise_()


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")


def shortcut_rows(window) -> list[tuple[str, str]]:
    """(keys, what they do): the menu bar's actions, the window's QShortcuts (described by their
    whatsThis), the composer's keys and the conversation list's context menu."""
    rows: list[tuple[str, str]] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        for action in menu.actions() if menu else ():
            if not action.shortcut().isEmpty():
                rows.append((action.shortcut(), f"{_plain(menu.title())} › {_plain(action.text())}"))
    for shortcut in window.findChildren(QShortcut):
        if shortcut.whatsThis():
            rows.append((shortcut.key(), shortcut.whatsThis()))
    rows += window.composer.keys()
    sidebar_menu = build_menu(window, pinned=False, archived=False, show_archived=False, on=lambda _k: None)
    for action in sidebar_menu.actions():
        if not action.shortcut().isEmpty():
            where = QCoreApplication.translate("HelpMenu", "Conversation list › %1")
            rows.append((action.shortcut(), where.replace("%1", _plain(action.text()))))
    sidebar_menu.deleteLater()
    merged: dict[str, list[str]] = {}  # one row per action, its keys together (Ctrl+K, Ctrl+F)
    for keys, what in rows:
        merged.setdefault(what, []).append(keys.toString(QKeySequence.SequenceFormat.NativeText))
    return [(", ".join(dict.fromkeys(keys)), what) for what, keys in merged.items()]


class ShortcutsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 460)

    def rows(self) -> list[tuple[str, str]]:
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text()) for r in range(self.table.rowCount())]


class AboutDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About DeskSeek"))
        paths = app_paths()
        self.log_dir = paths.log_dir
        facts = [
            (self.tr("Version"), deskseek_version()),
            (self.tr("Python"), f"{platform.python_version()} ({sys.executable})"),
            (self.tr("Qt"), self.tr("%1 (PySide6 %2)").replace("%1", qVersion()).replace("%2", pyside_version)),
            (self.tr("Data folder"), str(paths.data_dir)),
            (self.tr("Database"), str(paths.database)),
            (self.tr("Log folder"), str(paths.log_dir)),
            # CC BY-SA asks for its name wherever it is used (app/store/translated_terms.py).
            (self.tr("Chinese-English dictionary"), "CC-CEDICT (MDBG), CC BY-SA 4.0, https://cc-cedict.org"),
        ]
        self.facts = dict(facts)
        text = QLabel(self.tr("DeskSeek: private, offline chat with local models.") + "\n\n"
                      + "\n".join(f"{name}: {value}" for name, value in facts))
        text.setObjectName("aboutText")
        text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_logs = QPushButton(self.tr("Open log folder"))
        self.open_logs.clicked.connect(self.open_log_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_logs, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(560, 260)

    def open_log_folder(self) -> bool:
        self.log_dir.mkdir(parents=True, exist_ok=True)  # before the first log line it may not exist yet
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))
